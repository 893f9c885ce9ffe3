import type * as z from 'zod';
import { env } from '../config/env';
import { keys } from '../db/keys';
import { getCredential, getStaff, replacePasswordHash, staffExists } from '../db/staff';
import { getDevice, saveDevice } from '../db/devices';
import { deleteToken, putToken } from '../db/tokens';
import { TransactionCancelledError, transactWrite } from '../db/transact';
import { InvalidCredentialsError, TooManyRequestsError } from '../errors';
import { noteAuditSubject } from '../audit/audit';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';
import { recordFailure, recordSuccess, reserveAttempt } from '../throttle/attempt-gate';
import type { AttemptSlot } from '../throttle/attempt-gate';
import { checkGate, failAtGate } from '../throttle/failure-gate';
import { checkWindow } from '../throttle/rate-window';
import type { WindowPolicy } from '../throttle/rate-window';
import type { AttemptPolicy } from '../throttle/attempt-gate';
import type { Principal } from '../auth/principal';
import { generateToken, hashToken } from '../auth/tokens';
import { hashPassword, needsRehash, unknownUserHash, verifyPassword } from '../auth/passwords';
import { toStaffView } from './staff';
import type { LoginBody } from '../contract/requests';
import type { LoginResult as LoginResultSchema } from '../contract/responses';

export type LoginInput = z.infer<typeof LoginBody>;

export type LoginResult = z.infer<typeof LoginResultSchema>;

/** Failed logins from one device, or from one source IP for one username: 5, then blocks that double. */
const sourcePolicy = (): AttemptPolicy => ({
  maxFailures: env().LOGIN_MAX_FAILURES,
  lockoutSeconds: env().LOGIN_LOCKOUT_SECONDS,
  maxLockoutSeconds: env().LOGIN_MAX_LOCKOUT_SECONDS,
  memorySeconds: 24 * 3600,
});
/** Failed logins of one username from all unknown devices together: a higher threshold, the same blocks. */
const usernamePolicy = (): AttemptPolicy => ({ ...sourcePolicy(), maxFailures: env().LOGIN_USERNAME_MAX_FAILURES });
const ipPolicy = (): WindowPolicy => ({ limit: env().IP_MAX_FAILURES_PER_HOUR, windowSeconds: 3600 });

/** A device token stays valid this long after the login that issued or last used it. */
const DEVICE_SECONDS = 90 * 24 * 3600;

const blocked = (retryAfterSeconds: number) => new TooManyRequestsError('LOGIN_BLOCKED', 'Too many failed logins. Try again later.', retryAfterSeconds);

/**
 * Staff login. A login that presents a valid device token of that username is judged only by that
 * device's own failures, so nobody elsewhere can lock a known screen or the owner's phone out. Other
 * logins are throttled per (username, source IP) on failures, and per username for all unknown
 * devices together, by a reservation made before the password is checked (so parallel guesses cannot
 * overrun it). A restaurant or username that does not exist is throttled per source IP only: nothing
 * is written into that restaurant's data. An unknown user and a wrong password take the same time
 * and give the same 401.
 */
export async function loginStaff(input: LoginInput, sourceIp: string, now: Date): Promise<LoginResult> {
  const { restaurantId, username, password } = input;
  const ip = await checkWindow((start) => keys.loginFailures(sourceIp, start), ipPolicy(), now);
  if (!ip.allowed) throw new TooManyRequestsError('RATE_LIMITED', 'Too many failed logins from your network. Try again later.', ip.retryAfterSeconds);
  const credential = await getCredential(restaurantId, username);
  if (credential) noteAuditSubject({ restaurantId, username, staffId: credential.staffId });
  const deviceHash = input.deviceToken === undefined ? undefined : hashToken(input.deviceToken);
  const device = credential && deviceHash ? await getDevice(restaurantId, deviceHash) : undefined;
  const trusted = device && device.staffId === credential?.staffId && device.username === username && Date.parse(device.expiresAt) > now.getTime();

  let unknownDeviceSlot: AttemptSlot | undefined;
  const gateKey = trusted && deviceHash ? keys.device(restaurantId, deviceHash) : credential ? keys.loginSource(restaurantId, username, sourceIp) : undefined;
  if (gateKey) {
    const gate = await checkGate(gateKey, now);
    if (gate.blocked) throw blocked(gate.retryAfterSeconds);
  }
  if (credential && !trusted) {
    const reservation = await reserveAttempt(keys.loginAttempts(restaurantId, username), usernamePolicy(), now);
    if (!reservation.allowed) {
      logger.warn('login blocked for unknown devices', { restaurantId, username });
      throw blocked(reservation.retryAfterSeconds);
    }
    unknownDeviceSlot = reservation.slot;
  }

  const valid = await verifyPassword(password, credential?.passwordHash ?? (await unknownUserHash()));
  const staff = valid && credential ? await getStaff(restaurantId, credential.staffId) : undefined;
  if (!staff || !credential) {
    await ip.countFailure();
    const outcomes = await Promise.all([
      gateKey && failAtGate(gateKey, sourcePolicy(), now),
      unknownDeviceSlot && recordFailure(unknownDeviceSlot, usernamePolicy(), now),
    ]);
    if (outcomes.some((outcome) => outcome?.blocked)) count('LoginBlocks');
    logger.warn('login failed', { restaurantId: credential ? restaurantId : undefined, username: credential ? username : undefined, trustedDevice: Boolean(trusted) });
    throw new InvalidCredentialsError();
  }
  if (unknownDeviceSlot) await recordSuccess(unknownDeviceSlot);
  if (needsRehash(credential.passwordHash)) await replacePasswordHash(restaurantId, username, credential.staffId, await hashPassword(password));

  const token = generateToken('st');
  const expiresAt = new Date(now.getTime() + env().STAFF_TOKEN_TTL_SECONDS * 1000).toISOString();
  const { staffId, role, station } = staff;
  try {
    // The staff member must still exist when the token is written: a deletion racing this login wins.
    await transactWrite([
      ...putToken(hashToken(token), { kind: 'staff', restaurantId, staffId, role, station, expiresAt }),
      staffExists(restaurantId, staffId),
    ]);
  } catch (error) {
    // The person was deleted between the password check and the token: as if the password were wrong.
    if (error instanceof TransactionCancelledError && error.failed('staff')) throw new InvalidCredentialsError();
    throw error;
  }
  const deviceToken = trusted && input.deviceToken ? input.deviceToken : generateToken('dt');
  const deviceExpiresAt = new Date(now.getTime() + DEVICE_SECONDS * 1000).toISOString();
  await saveDevice(hashToken(deviceToken), { restaurantId, staffId, username, expiresAt: deviceExpiresAt });
  logger.info('login succeeded', { restaurantId, staffId, trustedDevice: Boolean(trusted) });
  return { token, expiresAt, deviceToken, staff: toStaffView(staff) };
}

/** Revokes the calling token; the next request with it fails. */
export async function logout(principal: Principal): Promise<void> {
  await deleteToken(principal.tokenHash, principal.kind === 'staff' ? principal : undefined);
}
