import type * as z from 'zod';
import type { StaffPrincipal } from '../auth/principal';
import { isSessionLive } from '../core';
import type { IssuedRejoinCode } from '../contract/responses';
import { getGuest, putRejoinCode, removeGuestItem } from '../db/sessions';
import { deleteAllGuestTokens } from '../db/tokens';
import { transactWrite } from '../db/transact';
import { ConflictError, NotFoundError } from '../errors';
import { logger } from '../observability/logger';
import { generateRejoinCode, hashRejoinCode } from './pin';
import { requireSession } from './sessions';

/** How long a rejoin code can be used. */
const REJOIN_CODE_SECONDS = 15 * 60;

async function requireGuest(actor: StaffPrincipal, sessionId: string, guestId: string) {
  const session = await requireSession(actor, sessionId);
  const guest = await getGuest(sessionId, guestId);
  if (!guest) throw new NotFoundError();
  return { session, guest };
}

/**
 * Removes a guest: marked removed (their orders stay on the bill), then every token of theirs is
 * revoked, which closes their sockets through the stream, and the table hears `guest.removed`.
 */
export async function removeGuest(actor: StaffPrincipal, sessionId: string, guestId: string, now: Date): Promise<void> {
  await requireGuest(actor, sessionId, guestId);
  await transactWrite([removeGuestItem(sessionId, guestId, now)]);
  await deleteAllGuestTokens(sessionId, guestId);
  logger.info('guest removed', { restaurantId: actor.restaurantId, sessionId, guestId, by: actor.staffId });
}

/** A single-use code with which a guest whose phone lost everything resumes as themselves. */
export async function issueRejoinCode(actor: StaffPrincipal, sessionId: string, guestId: string, now: Date): Promise<z.infer<typeof IssuedRejoinCode>> {
  const { session, guest } = await requireGuest(actor, sessionId, guestId);
  if (guest.removedAt) throw new NotFoundError();
  if (!isSessionLive(session, now)) throw new ConflictError('NO_OPEN_SESSION', 'This session is closed.');
  const rejoinCode = generateRejoinCode();
  const expiresAt = new Date(Math.min(now.getTime() + REJOIN_CODE_SECONDS * 1000, Date.parse(session.expiresAt)));
  await transactWrite([putRejoinCode(sessionId, await hashRejoinCode(sessionId, rejoinCode), guestId, expiresAt)]);
  logger.info('rejoin code issued', { restaurantId: actor.restaurantId, sessionId, guestId, by: actor.staffId });
  return { rejoinCode, expiresAt: expiresAt.toISOString() };
}
