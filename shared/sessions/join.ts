import { ulid } from 'ulid';
import type * as z from 'zod';
import { noteAuditSubject } from '../audit/audit';
import type { GuestRef } from '../auth/principal';
import { generateToken, hashToken } from '../auth/tokens';
import { env } from '../config/env';
import { keys } from '../db/keys';
import { admitGuestItems, getGuest, getSession, listGuests, sessionLiveCondition, useRejoinCode } from '../db/sessions';
import type { Guest, TableSession } from '../db/sessions';
import { putEmptyCart } from '../db/carts';
import { getTable } from '../db/tables';
import { putGuestToken } from '../db/tokens';
import { TransactionCancelledError, transactWrite } from '../db/transact';
import type { TransactItem } from '../db/transact';
import { AppError, ConflictError, NotFoundError, SessionClosedError, TooManyRequestsError, UnauthenticatedError } from '../errors';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';
import { recordFailure, recordSuccess, reserveAttempt } from '../throttle/attempt-gate';
import type { AttemptPolicy } from '../throttle/attempt-gate';
import { releaseInWindow, reserveInWindow } from '../throttle/rate-window';
import type { WindowPolicy } from '../throttle/rate-window';
import { fetchRestaurant } from '../db/restaurants';
import { resolveTableCode } from '../tables/tables';
import { TableCode } from '../contract/fields';
import type { JoinBody } from '../contract/requests';
import type { GuestSession, JoinResult as JoinResultSchema } from '../contract/responses';
import { hashRejoinCode, resumeSecretFor, verifyPin, verifyResumeSecret } from './pin';
import { effectiveStatus, isSessionLive } from '../core';

export type JoinInput = z.infer<typeof JoinBody>;

const pinPolicy = (): AttemptPolicy => ({
  maxFailures: env().PIN_MAX_FAILURES,
  lockoutSeconds: env().PIN_LOCKOUT_SECONDS,
  maxLockoutSeconds: env().PIN_MAX_LOCKOUT_SECONDS,
  memorySeconds: env().SESSION_TTL_SECONDS,
});
const ipPolicy = (): WindowPolicy => ({ limit: env().IP_MAX_FAILURES_PER_HOUR, windowSeconds: 3600 });

/** An error the join answers with, after which the IP's failure count is (or is not) kept. */
class JoinRefused extends Error {
  constructor(
    readonly error: AppError,
    readonly countsAgainstIp: boolean,
  ) {
    super(error.message);
  }
}

export type JoinResult = z.infer<typeof JoinResultSchema>;

/**
 * A guest proves they are at the table with the session's PIN. Throttled twice, each by one
 * conditional update *before* the PIN is checked: per source IP (failures per rolling hour across
 * all tables, unknown codes included) and per session (consecutive failures, then growing blocks,
 * whatever IPs the guesses come from). The PIN is compared only with the scanned table's session.
 */
export async function joinSession(input: JoinInput, sourceIp: string, now: Date): Promise<JoinResult> {
  const ip = await reserveInWindow((start) => keys.joinFailures(sourceIp, start), ipPolicy(), now);
  if (!ip.allowed) {
    throw new TooManyRequestsError('RATE_LIMITED', 'Too many failed attempts from your network. Try again later.', ip.retryAfterSeconds);
  }
  try {
    const result = await checkPinAndAdmit(input, now);
    await releaseInWindow(ip.key); // a success is not a failure
    return result;
  } catch (error) {
    if (!(error instanceof JoinRefused)) throw error;
    if (!error.countsAgainstIp) await releaseInWindow(ip.key);
    throw error.error;
  }
}

async function checkPinAndAdmit(input: JoinInput, now: Date): Promise<JoinResult> {
  const resolved = TableCode.safeParse(input.tableCode).success ? await resolveTableCode(input.tableCode) : undefined;
  if (!resolved) throw new JoinRefused(new NotFoundError('No table has this code.'), true);
  const { table, restaurant } = resolved;
  noteAuditSubject({ restaurantId: restaurant.restaurantId, tableId: table.tableId });

  const session = table.openSessionId ? await getSession(table.openSessionId) : undefined;
  if (!session || !isSessionLive(session, now)) {
    throw new JoinRefused(new ConflictError('NO_OPEN_SESSION', 'This table has no open session. Ask staff to open one.'), false);
  }
  noteAuditSubject({ sessionId: session.sessionId });

  const attempt = await reserveAttempt(keys.pinAttempts(session.sessionId), pinPolicy(), now);
  if (!attempt.allowed) {
    throw new JoinRefused(
      new TooManyRequestsError('PIN_BLOCKED', 'Too many wrong PINs for this table. Ask staff for help.', attempt.retryAfterSeconds),
      false,
    );
  }
  if (!(await verifyPin(session.sessionId, input.pin, session.pinHash))) {
    const outcome = await recordFailure(attempt.slot, pinPolicy(), now);
    count('PinFailures');
    if (outcome.blocked) count('PinBlocks');
    logger.warn('wrong pin', { sessionId: session.sessionId, blocked: outcome.blocked });
    const attemptsLeft = outcome.blocked ? 0 : outcome.attemptsLeft;
    throw new JoinRefused(new AppError(401, 'INVALID_PIN', 'Wrong PIN.', { attemptsLeft }), true);
  }
  await recordSuccess(attempt.slot);
  return admit(session, table.name, restaurant.maxGuestsPerSession, input, now);
}

const NOT_YOU = 'That guest cannot be resumed without its resume secret or a rejoin code from staff.';

/**
 * Issues the guest token: a new guest (while the session has room), or an earlier guest of this
 * session again, only with proof (their resume secret, or a staff-issued rejoin code, used up here).
 * Knowing a guestId alone grants nothing.
 */
async function admit(session: TableSession, tableName: string, maxGuests: number, input: JoinInput, now: Date): Promise<JoinResult> {
  const token = generateToken('gt');
  const tokenHash = hashToken(token);
  const writes: TransactItem[] = [];
  let guest: Guest;
  if (input.guestId !== undefined) {
    const known = await getGuest(session.sessionId, input.guestId);
    if (!known || known.removedAt) throw new JoinRefused(new UnauthenticatedError(NOT_YOU), true);
    if (input.rejoinCode !== undefined) {
      writes.push(useRejoinCode(session.sessionId, await hashRejoinCode(session.sessionId, input.rejoinCode), known.guestId, now));
    } else if (input.resumeSecret === undefined || !(await verifyResumeSecret(session.sessionId, known.guestId, input.resumeSecret))) {
      throw new JoinRefused(new UnauthenticatedError(NOT_YOU), true);
    }
    guest = known;
    writes.push(sessionLiveCondition(session.sessionId, now));
  } else {
    guest = { sessionId: session.sessionId, guestId: ulid(now.getTime()), name: input.guestName ?? null, joinedAt: now.toISOString(), removedAt: null };
    writes.push(...admitGuestItems(guest, now, maxGuests));
    if (session.mode === 'INDIVIDUAL') writes.push(putEmptyCart(session.sessionId, guest.guestId));
  }
  noteAuditSubject({ guestId: guest.guestId });
  writes.push(...putGuestToken(tokenHash, { kind: 'guest', restaurantId: session.restaurantId, sessionId: session.sessionId, guestId: guest.guestId, expiresAt: session.expiresAt }));
  try {
    await transactWrite(writes);
  } catch (error) {
    if (!(error instanceof TransactionCancelledError)) throw error;
    if (error.failed('rejoinCode')) throw new JoinRefused(new UnauthenticatedError(NOT_YOU), true);
    if (error.failed('sessionLive')) {
      const current = await getSession(session.sessionId);
      if (current && isSessionLive(current, now)) {
        throw new JoinRefused(new ConflictError('SESSION_FULL', `This session already has ${maxGuests} guests. Ask staff for help.`), false);
      }
      throw new JoinRefused(new ConflictError('NO_OPEN_SESSION', 'This table has no open session. Ask staff to open one.'), false);
    }
    throw error;
  }
  return {
    token,
    sessionId: session.sessionId,
    guestId: guest.guestId,
    resumeSecret: await resumeSecretFor(session.sessionId, guest.guestId),
    mode: session.mode,
    expiresAt: session.expiresAt,
    restaurantId: session.restaurantId,
    tableName,
  };
}

export async function describeGuestSession(principal: GuestRef, now: Date): Promise<z.infer<typeof GuestSession>> {
  const session = await getSession(principal.sessionId);
  if (!session || !isSessionLive(session, now)) throw new SessionClosedError();
  const [table, restaurant, guests] = await Promise.all([
    getTable(session.restaurantId, session.tableId),
    fetchRestaurant(session.restaurantId),
    listGuests(session.sessionId),
  ]);
  if (!table || !restaurant) throw new NotFoundError();
  return {
    sessionId: session.sessionId,
    status: effectiveStatus(session, now),
    mode: session.mode,
    expiresAt: session.expiresAt,
    guestId: principal.guestId,
    table: { tableId: table.tableId, name: table.name },
    restaurant: { restaurantId: restaurant.restaurantId, name: restaurant.name, currency: restaurant.currency },
    guests: guests.filter((guest) => !guest.removedAt).map((guest) => ({ guestId: guest.guestId, guestName: guest.name, joinedAt: guest.joinedAt })),
  };
}
