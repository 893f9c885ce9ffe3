import { ulid } from 'ulid';
import { FIRED_AT_PLACEMENT } from '../kitchen/courses';
import type * as z from 'zod';
import type { StaffPrincipal } from '../auth/principal';
import { env } from '../config/env';
import {
  closeSessionItems,
  getSession,
  listGuests,
  queryOpenSessions,
  moveSessionItems,
  openSessionItems,
  replacePinItems,
} from '../db/sessions';
import type { Guest, TableSession } from '../db/sessions';
import { FAMILY_CART, putEmptyCart } from '../db/carts';
import { getTable, queryTables } from '../db/tables';
import { TransactionCancelledError, transactWrite } from '../db/transact';
import { ConflictError, NotFoundError } from '../errors';
import { logger } from '../observability/logger';
import { sessionOrdersAndBill } from '../orders/orders';
import { generatePin, hashPin } from './pin';
import { effectiveStatus, isSessionLive } from '../core';
import type { OpenSessionBody } from '../contract/requests';
import type { OpenedSession, Session, SessionDetail } from '../contract/responses';

export type SessionView = z.infer<typeof Session>;

/** What staff see of a session: never the PIN or its hash. */
function toView(session: TableSession, tableName: string | null, now: Date): SessionView {
  return {
    sessionId: session.sessionId,
    tableId: session.tableId,
    tableName,
    mode: session.mode,
    status: effectiveStatus(session, now),
    openedAt: session.openedAt,
    expiresAt: session.expiresAt,
    closedAt: session.closedAt,
  };
}

const guestView = (guest: Guest) => ({ guestId: guest.guestId, guestName: guest.name });

/** The session, if it belongs to the actor's restaurant (another restaurant's id is simply not found). */
export async function requireSession(actor: StaffPrincipal, sessionId: string): Promise<TableSession> {
  const session = await getSession(sessionId);
  if (!session || session.restaurantId !== actor.restaurantId) throw new NotFoundError();
  return session;
}

/** Opens a session on a free table with a fresh PIN, shown this once. */
export async function openSession(actor: StaffPrincipal, tableId: string, input: z.infer<typeof OpenSessionBody>, now: Date): Promise<z.infer<typeof OpenedSession>> {
  const table = await getTable(actor.restaurantId, tableId);
  if (!table) throw new NotFoundError();
  const sessionId = ulid(now.getTime());
  const pin = generatePin();
  const session: TableSession = {
    sessionId,
    restaurantId: actor.restaurantId,
    tableId,
    mode: input.mode,
    status: 'OPEN',
    openedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + env().SESSION_TTL_SECONDS * 1000).toISOString(),
    closedAt: null,
    openedBy: actor.staffId,
    pinHash: await hashPin(sessionId, pin),
    firedCourse: FIRED_AT_PLACEMENT,
  };
  try {
    const cart = input.mode === 'FAMILY' ? [putEmptyCart(sessionId, FAMILY_CART)] : [];
    await transactWrite([...openSessionItems(session, now), ...cart]);
  } catch (error) {
    if (!(error instanceof TransactionCancelledError && error.failed('table'))) throw error;
    // The session that holds the table now: the read above may predate it (another waiter's, at the same moment).
    const openSessionId = (await getTable(actor.restaurantId, tableId))?.openSessionId ?? null;
    throw new ConflictError('SESSION_ALREADY_OPEN', 'This table already has an open session.', { openSessionId });
  }
  logger.info('session opened', { restaurantId: actor.restaurantId, sessionId, tableId, by: actor.staffId });
  return { sessionId, tableId, mode: session.mode, pin, status: 'OPEN', openedAt: session.openedAt, expiresAt: session.expiresAt };
}

export async function listOpenSessions(actor: StaffPrincipal, now: Date): Promise<SessionView[]> {
  const [sessions, tables] = await Promise.all([queryOpenSessions(actor.restaurantId), queryTables(actor.restaurantId)]);
  const names = new Map(tables.map((table) => [table.tableId, table.name]));
  return sessions.filter((s) => isSessionLive(s, now)).map((s) => toView(s, names.get(s.tableId) ?? null, now));
}

/** The waiter's view: the session, its guests, its orders and the bill per guest. */
export async function getSessionDetail(actor: StaffPrincipal, sessionId: string, now: Date): Promise<z.infer<typeof SessionDetail>> {
  const session = await requireSession(actor, sessionId);
  const [table, guests] = await Promise.all([getTable(actor.restaurantId, session.tableId), listGuests(sessionId)]);
  return { ...toView(session, table?.name ?? null, now), guests: guests.map(guestView), ...(await sessionOrdersAndBill(sessionId, guests)) };
}

/** A new PIN for a live session; the lockout and its history go with the old PIN. */
export async function renewPin(actor: StaffPrincipal, sessionId: string, now: Date): Promise<{ pin: string }> {
  const session = await requireSession(actor, sessionId);
  if (!isSessionLive(session, now)) throw new ConflictError('NO_OPEN_SESSION', 'This session is closed.');
  const pin = generatePin();
  try {
    await transactWrite(replacePinItems(sessionId, await hashPin(sessionId, pin)));
  } catch (error) {
    if (error instanceof TransactionCancelledError && error.failed('session')) throw new ConflictError('NO_OPEN_SESSION', 'This session is closed.');
    throw error;
  }
  logger.info('session pin renewed', { restaurantId: actor.restaurantId, sessionId, by: actor.staffId });
  return { pin };
}

/** Moves a live session to another free table; guests keep their tokens, new guests join at the new table. */
export async function moveSession(actor: StaffPrincipal, sessionId: string, toTableId: string, now: Date): Promise<SessionView> {
  const session = await requireSession(actor, sessionId);
  if (!isSessionLive(session, now)) throw new ConflictError('NO_OPEN_SESSION', 'This session is closed.');
  const table = await getTable(actor.restaurantId, toTableId);
  if (!table) throw new NotFoundError('No such table.');
  if (toTableId === session.tableId) return toView(session, table.name, now);
  try {
    await transactWrite(moveSessionItems(session, toTableId, now));
  } catch (error) {
    if (error instanceof TransactionCancelledError && error.failed('toTable')) throw new ConflictError('TABLE_BUSY', 'That table has an open session.');
    if (error instanceof TransactionCancelledError && (error.failed('session') || error.failed('heldTable'))) {
      throw new ConflictError('SESSION_CHANGED', 'The session changed meanwhile. Try again.');
    }
    throw error;
  }
  logger.info('session moved', { restaurantId: actor.restaurantId, sessionId, from: session.tableId, to: toTableId, by: actor.staffId });
  return toView({ ...session, tableId: toTableId }, table.name, now);
}

/** Closes the session: every guest token of it fails with SESSION_CLOSED from the next request. Idempotent. */
export async function closeSession(actor: StaffPrincipal, sessionId: string, now: Date) {
  const session = await requireSession(actor, sessionId);
  if (session.status === 'OPEN') {
    const table = await getTable(actor.restaurantId, session.tableId);
    try {
      await transactWrite(closeSessionItems(session, table?.openSessionId === sessionId, now));
    } catch (error) {
      if (!(error instanceof TransactionCancelledError)) throw error;
      // Closed by someone else meanwhile is the outcome the caller wanted; a concurrent move is not.
      if (!error.failed('session')) {
        if (error.failed('heldTable')) throw new ConflictError('SESSION_CHANGED', 'The session changed meanwhile. Try again.');
        throw error;
      }
    }
    logger.info('session closed', { restaurantId: actor.restaurantId, sessionId, by: actor.staffId });
  }
  return { sessionId, status: 'CLOSED' as const };
}
