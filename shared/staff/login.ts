import type * as z from 'zod';
import { env } from '../config/env';
import { keys } from '../db/keys';
import { getCredential, getStaff, staffExists } from '../db/staff';
import { deleteToken, putStaffToken } from '../db/tokens';
import { TransactionCancelledError, transactWrite } from '../db/transact';
import { InvalidCredentialsError, TooManyRequestsError } from '../errors';
import { noteAuditSubject } from '../audit/audit';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';
import { recordFailure, recordSuccess, reserveAttempt } from '../throttle/attempt-gate';
import type { AttemptPolicy } from '../throttle/attempt-gate';
import type { Principal } from '../auth/principal';
import { generateToken, hashToken } from '../auth/tokens';
import { unknownUserHash, verifyPassword } from '../auth/passwords';
import { toStaffView } from './staff';
import type { LoginBody } from '../contract/requests';
import type { LoginResult as LoginResultSchema } from '../contract/responses';

export type LoginInput = z.infer<typeof LoginBody>;

export type LoginResult = z.infer<typeof LoginResultSchema>;

const loginPolicy = (): AttemptPolicy => ({
  maxFailures: env().LOGIN_MAX_FAILURES,
  lockoutSeconds: env().LOGIN_LOCKOUT_SECONDS,
  maxLockoutSeconds: env().LOGIN_MAX_LOCKOUT_SECONDS,
  memorySeconds: 24 * 3600,
});

/**
 * Staff login. Failures are counted per username (known or not) and lock it out; an unknown
 * user and a wrong password take the same time and give the same 401.
 */
export async function loginStaff(input: LoginInput, now: Date): Promise<LoginResult> {
  const { restaurantId, username, password } = input;
  noteAuditSubject({ restaurantId, username });
  const reservation = await reserveAttempt(keys.loginAttempts(restaurantId, username), loginPolicy(), now);
  if (!reservation.allowed) {
    logger.warn('login blocked', { restaurantId, username });
    throw new TooManyRequestsError('LOGIN_BLOCKED', 'Too many failed logins. Try again later.', reservation.retryAfterSeconds);
  }
  const credential = await getCredential(restaurantId, username);
  const valid = await verifyPassword(password, credential?.passwordHash ?? (await unknownUserHash()));
  const staff = valid && credential ? await getStaff(restaurantId, credential.staffId) : undefined;
  if (!staff) {
    const outcome = await recordFailure(reservation.slot, loginPolicy(), now);
    if (outcome.blocked) count('LoginBlocks');
    logger.warn('login failed', { restaurantId, username, blocked: outcome.blocked });
    throw new InvalidCredentialsError();
  }
  await recordSuccess(reservation.slot);
  noteAuditSubject({ staffId: staff.staffId });

  const token = generateToken('st');
  const expiresAt = new Date(now.getTime() + env().STAFF_TOKEN_TTL_SECONDS * 1000).toISOString();
  const { staffId, role, station } = staff;
  try {
    // The staff member must still exist when the token is written: a deletion racing this login wins.
    await transactWrite([
      ...putStaffToken(hashToken(token), { kind: 'staff', restaurantId, staffId, role, station, expiresAt }),
      staffExists(restaurantId, staffId),
    ]);
  } catch (error) {
    // The person was deleted between the password check and the token: as if the password were wrong.
    if (error instanceof TransactionCancelledError && error.failed('staff')) throw new InvalidCredentialsError();
    throw error;
  }
  logger.info('login succeeded', { restaurantId, staffId });
  return { token, expiresAt, staff: toStaffView(staff) };
}

/** Revokes the calling token; the next request with it fails. */
export async function logout(principal: Principal): Promise<void> {
  await deleteToken(principal.tokenHash, principal.kind === 'staff' ? principal : undefined);
}
