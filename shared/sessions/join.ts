import { ulid } from 'ulid';
import type * as z from 'zod';
import { noteAuditSubject } from '../audit/audit';
import type { GuestRef } from '../auth/principal';
import { generateToken, hashToken } from '../auth/tokens';
import { env } from '../config/env';
import { keys } from '../db/keys';
import type { Key } from '../db/keys';
import { addGuardFailure, releaseGuardSlot, setGuarded, takeGuardSlot, toAttemptCounter, toWindowCount } from '../db/counters';
import { batchGet, keyId } from '../db/batch-get';
import { ENTITY } from '../db/entities';
import { getJoinRequest, putJoinRequest, settleJoinRequestItem } from '../db/join-requests';
import type { JoinRequest } from '../db/join-requests';
import { epochSeconds } from '../db/time';
import { admitGuestItems, getGuest, getSession, listGuests, sessionLiveCondition, toSession, useRejoinCode } from '../db/sessions';
import type { Guest, TableSession } from '../db/sessions';
import { putEmptyCart } from '../db/carts';
import { getTable, toDiningTable, toTableCodeTarget } from '../db/tables';
import type { TableCodeTarget } from '../db/tables';
import { putToken } from '../db/tokens';
import { TransactionCancelledError, transactWrite } from '../db/transact';
import type { TransactItem } from '../db/transact';
import { AppError, ConflictError, NotFoundError, SessionClosedError, TooManyRequestsError, UnauthenticatedError } from '../errors';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';
import { retryWhileContended } from '../throttle/attempt-gate';
import type { AttemptPolicy } from '../throttle/attempt-gate';
import { failAtGate, judgeGate } from '../throttle/failure-gate';
import { judgeWindow, windowKeys } from '../throttle/rate-window';
import type { WindowPolicy } from '../throttle/rate-window';
import { fetchRestaurant, toRestaurant } from '../db/restaurants';
import { toRestaurantView } from '../restaurants/restaurants';
import { TableCode } from '../contract/fields';
import type { JoinBody } from '../contract/requests';
import type { GuestSession, JoinResult as JoinResultSchema, PendingJoin } from '../contract/responses';
import { hashRejoinCode, resumeSecretFor, verifyPin, verifyResumeSecret } from './pin';
import { effectiveStatus, isSessionLive } from '../core';

export type JoinInput = z.infer<typeof JoinBody>;

/** Wrong PINs per source IP per session: 5, then blocks that double (that source only). */
const sourcePolicy = (): AttemptPolicy => ({
  maxFailures: env().PIN_MAX_FAILURES,
  lockoutSeconds: env().PIN_LOCKOUT_SECONDS,
  maxLockoutSeconds: env().PIN_MAX_LOCKOUT_SECONDS,
  memorySeconds: env().SESSION_TTL_SECONDS,
});
const ipPolicy = (): WindowPolicy => ({ limit: env().IP_MAX_FAILURES_PER_HOUR, windowSeconds: 3600 });

/** A join request lives this long; its requester polls every few seconds. */
const JOIN_REQUEST_SECONDS = 10 * 60;
const POLL_SECONDS = 3;

/** An error the join answers with, and whether it counts as a failure of the source IP. */
class JoinRefused extends Error {
  constructor(
    readonly error: AppError,
    readonly countsAgainstIp: boolean,
  ) {
    super(error.message);
  }
}

export type JoinResult = z.infer<typeof JoinResultSchema>;
export type JoinOutcome = { status: 201; body: JoinResult } | { status: 202; body: z.infer<typeof PendingJoin> };

/**
 * A guest proves they are at the table with the session's PIN. Three limits, none of which a
 * stranger can use to keep the table's guests out:
 * - per source IP across all tables: failed joins per rolling hour (unknown codes included);
 * - per source IP per session: 5 wrong PINs block that source, doubling per further block;
 * - per session from all sources: past the threshold the session is guarded until staff set a new
 *   PIN: every attempt is answered 202 alike, and only right-PIN attempts become join requests that
 *   the table or the floor approve. Before that, a slot is reserved for each attempt *before* the PIN
 *   is compared, so however many arrive at once, at most the threshold of wrong PINs are ever judged.
 * The source limits count failures only: successes and attempts in flight never use them up.
 */
export async function joinSession(input: JoinInput, sourceIp: string, now: Date): Promise<JoinOutcome> {
  // One round trip for the source's failure windows and the scanned code.
  const window = windowKeys((start) => keys.joinFailures(sourceIp, start), ipPolicy(), now);
  const codeKey = TableCode.safeParse(input.tableCode).success ? keys.tableCode(input.tableCode) : undefined;
  const first = await batchGet([window.previous, window.current, ...(codeKey ? [codeKey] : [])]);
  const ip = judgeWindow(window, toWindowCount(first.get(keyId(window.previous))), toWindowCount(first.get(keyId(window.current))));
  if (!ip.allowed) {
    throw new TooManyRequestsError('RATE_LIMITED', 'Too many failed attempts from your network. Try again later.', ip.retryAfterSeconds);
  }
  try {
    return await attemptJoin(input, toTableCodeTarget(codeKey && first.get(keyId(codeKey))), sourceIp, ip.countFailure, now);
  } catch (error) {
    if (!(error instanceof JoinRefused)) throw error;
    if (error.countsAgainstIp) await ip.countFailure();
    throw error.error;
  }
}

/**
 * The attempt, in as few round trips as its dependencies allow: the restaurant and the table (one
 * BatchGetItem), the session and this source's PIN counter (another), the guard slot, then the
 * admission, with the slot given back beside it rather than before it.
 */
async function attemptJoin(input: JoinInput, target: TableCodeTarget | undefined, sourceIp: string, countIpFailure: () => Promise<void>, now: Date): Promise<JoinOutcome> {
  if (!target) throw new JoinRefused(new NotFoundError('No table has this code.'), true);
  const restaurantKey = keys.restaurant(target.restaurantId);
  const tableKey = keys.table(target.restaurantId, target.tableId);
  const second = await batchGet([restaurantKey, tableKey]);
  const [restaurantItem, tableItem] = [second.get(keyId(restaurantKey)), second.get(keyId(tableKey))];
  if (!restaurantItem || !tableItem) throw new JoinRefused(new NotFoundError('No table has this code.'), true);
  const [restaurant, table] = [toRestaurant(restaurantItem), toDiningTable(tableItem)];
  noteAuditSubject({ restaurantId: restaurant.restaurantId, tableId: table.tableId });

  const noOpenSession = () => new JoinRefused(new ConflictError('NO_OPEN_SESSION', 'This table has no open session. Ask staff to open one.'), false);
  if (!table.openSessionId) throw noOpenSession();
  const sessionKey = keys.session(table.openSessionId);
  const sourceKey = keys.pinSource(table.openSessionId, sourceIp);
  const third = await batchGet([sessionKey, sourceKey]);
  const sessionItem = third.get(keyId(sessionKey));
  const session = sessionItem && toSession(sessionItem);
  if (!session || !isSessionLive(session, now)) throw noOpenSession();
  noteAuditSubject({ sessionId: session.sessionId });

  const source = judgeGate(toAttemptCounter(third.get(keyId(sourceKey))), now);
  if (source.blocked) {
    throw new JoinRefused(new TooManyRequestsError('PIN_BLOCKED', 'Too many wrong PINs from here. Ask staff for help.', source.retryAfterSeconds), false);
  }
  const guardKey = keys.pinGuard(session.sessionId);
  const slot = await takeSlot(guardKey, now);
  const pinOk = await verifyPin(session.sessionId, input.pin, session.pinHash);
  if (!pinOk) {
    count('PinFailures');
    const outcome = await failAtGate(sourceKey, sourcePolicy(), now);
    if (outcome.blocked) count('PinBlocks');
    logger.warn('wrong pin', { sessionId: session.sessionId, sourceBlocked: outcome.blocked, guarded: !slot });
    if (slot) {
      if ((await addGuardFailure(guardKey)) >= env().PIN_GUARD_FAILURES) await guard(guardKey, session, table.name, now);
      const attemptsLeft = outcome.blocked ? 0 : outcome.attemptsLeft;
      throw new JoinRefused(new AppError(401, 'INVALID_PIN', 'Wrong PIN.', { attemptsLeft }), true);
    }
    await countIpFailure();
  } else if (slot) {
    return { status: 201, body: await admitReleasing(guardKey, () => admit(session, table.name, restaurant.maxGuestsPerSession, input, now)) };
  }
  return { status: 202, body: await requestToJoin(session, table.name, input.guestName ?? null, pinOk, now) };
}

/**
 * Admits while the right PIN's guard slot is given back, side by side: the answer waits for the
 * admission only. A release that fails leaves one slot held, as an attempt that died in flight does
 * (the guard's item expires with the session); it is logged, and the admitted guest keeps their seat.
 */
async function admitReleasing(guardKey: Key, admission: () => Promise<JoinResult>): Promise<JoinResult> {
  const [released, admitted] = await Promise.allSettled([releaseGuardSlot(guardKey), admission()]);
  if (released.status === 'rejected') logger.error('guard slot not released', { error: released.reason as Error });
  if (admitted.status === 'rejected') throw admitted.reason;
  return admitted.value;
}

/** A guard slot for this attempt, or false when the session is guarded (or every slot stays held). */
async function takeSlot(guardKey: Key, now: Date): Promise<boolean> {
  const ttl = epochSeconds(now) + env().SESSION_TTL_SECONDS;
  const slot = await retryWhileContended(
    () => takeGuardSlot(guardKey, env().PIN_GUARD_FAILURES, ttl),
    (answer) => !answer.taken && !answer.guarded,
  );
  return slot.taken;
}

/** The session is under attack: from now on every join needs approval, and the floor is told (stream → `session.guarded`). */
async function guard(guardKey: Key, session: TableSession, tableName: string, now: Date): Promise<void> {
  const fields = { type: ENTITY.pinGuard, restaurantId: session.restaurantId, sessionId: session.sessionId, tableName };
  if (await setGuarded(guardKey, fields, now.toISOString())) {
    count('SessionsGuarded');
    logger.warn('session guarded', { sessionId: session.sessionId });
  }
}

/**
 * A join request, made alike for every attempt on a guarded session so the answer says nothing
 * about the PIN; only one with the right PIN is `visible` to the table and the floor.
 */
async function requestToJoin(session: TableSession, tableName: string, guestName: string | null, visible: boolean, now: Date) {
  const pollToken = generateToken('pt');
  const joinRequestId = ulid(now.getTime());
  await putJoinRequest({
    joinRequestId,
    sessionId: session.sessionId,
    restaurantId: session.restaurantId,
    tableName,
    guestName,
    visible,
    status: 'PENDING',
    pollTokenHash: hashToken(pollToken),
    requestedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + JOIN_REQUEST_SECONDS * 1000).toISOString(),
  });
  noteAuditSubject({ joinRequestId });
  return { status: 'PENDING' as const, joinRequestId, pollToken, retryAfterSeconds: POLL_SECONDS };
}

const NOT_YOU = 'That guest cannot be resumed without its resume secret or a rejoin code from staff.';

/** Who is admitted: a new guest, or an earlier one with proof, or one an approved join request already proved. */
export interface Admission {
  guestName?: string | null;
  guestId?: string;
  resumeSecret?: string;
  rejoinCode?: string;
  /** The identity is already proven (the approved join request it came from). */
  proven?: boolean;
  /** More writes for the same transaction, given the guest's id (the join request a new guest settles). */
  also?: (guestId: string) => TransactItem[];
}

/**
 * Issues the guest token: a new guest (while the session has room), or an earlier guest of this
 * session again, only with proof (their resume secret, or a staff-issued rejoin code, used up here).
 * Knowing a guestId alone grants nothing.
 */
export async function admit(session: TableSession, tableName: string, maxGuests: number, input: Admission, now: Date): Promise<JoinResult> {
  const token = generateToken('gt');
  const tokenHash = hashToken(token);
  const writes: TransactItem[] = [];
  let guest: Guest;
  if (input.guestId !== undefined) {
    const known = await getGuest(session.sessionId, input.guestId);
    if (!known || known.removedAt) throw new JoinRefused(new UnauthenticatedError(NOT_YOU), true);
    if (input.rejoinCode !== undefined) {
      writes.push(useRejoinCode(session.sessionId, await hashRejoinCode(session.sessionId, input.rejoinCode), known.guestId, now));
    } else if (!input.proven && (input.resumeSecret === undefined || !(await verifyResumeSecret(session.sessionId, known.guestId, input.resumeSecret)))) {
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
  writes.push(...(input.also?.(guest.guestId) ?? []));
  writes.push(...putToken(tokenHash, { kind: 'guest', restaurantId: session.restaurantId, sessionId: session.sessionId, guestId: guest.guestId, expiresAt: session.expiresAt }));
  try {
    await transactWrite(writes);
  } catch (error) {
    if (!(error instanceof TransactionCancelledError)) throw error;
    if (error.failed('rejoinCode')) throw new JoinRefused(new UnauthenticatedError(NOT_YOU), true);
    if (error.failed('joinRequest')) throw error;
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

/**
 * Admits the guest an approved join request stands for: a new guest on the first poll after the
 * approval (recorded on the request in the same transaction), the same guest on every later poll.
 */
export async function admitApproved(request: JoinRequest, now: Date): Promise<JoinResult> {
  const [session, restaurant] = await Promise.all([getSession(request.sessionId), fetchRestaurant(request.restaurantId)]);
  if (!session || !restaurant || !isSessionLive(session, now)) throw new ConflictError('NO_OPEN_SESSION', 'This session has ended.');
  const admitAs = (admission: Admission) => admit(session, request.tableName, restaurant.maxGuestsPerSession, admission, now);
  try {
    if (request.guestId) return await admitAs({ guestId: request.guestId, proven: true });
    try {
      return await admitAs({ guestName: request.guestName, also: (guestId) => [settleJoinRequestItem(request.joinRequestId, guestId)] });
    } catch (error) {
      if (!(error instanceof TransactionCancelledError && error.failed('joinRequest'))) throw error;
      // Another poll admitted this request's guest a moment ago: the same guest, then.
      const settled = (await getJoinRequest(request.joinRequestId))?.guestId;
      if (!settled) throw error;
      return await admitAs({ guestId: settled, proven: true });
    }
  } catch (error) {
    if (error instanceof JoinRefused) throw error.error;
    throw error;
  }
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
    restaurant: toRestaurantView(restaurant),
    guests: guests.filter((guest) => !guest.removedAt).map((guest) => ({ guestId: guest.guestId, guestName: guest.name, joinedAt: guest.joinedAt })),
  };
}
