import { getSession } from '../db/sessions';
import { getToken } from '../db/tokens';
import { SessionClosedError, UnauthenticatedError } from '../errors';
import { isSessionLive } from '../core';
import { hashToken } from './tokens';
import type { Principal } from './principal';

/**
 * Resolves a bearer token to its principal, or throws UnauthenticatedError (SessionClosedError for
 * a guest whose session was closed or has expired). Expiry is checked here on every call because
 * DynamoDB's TTL deletes expired items only eventually; both reads are consistent, so a logout or a
 * close is seen by the very next request.
 */
export async function authenticate(token: string | undefined, now: Date): Promise<Principal> {
  if (!token) throw new UnauthenticatedError();
  const tokenHash = hashToken(token);
  const record = await getToken(tokenHash);
  if (!record) throw new UnauthenticatedError();
  if (record.kind === 'guest') {
    const session = await getSession(record.sessionId);
    if (!session || !isSessionLive(session, now)) throw new SessionClosedError();
    const { restaurantId, sessionId, guestId } = record;
    return { kind: 'guest', restaurantId, sessionId, guestId, mode: session.mode, tableId: session.tableId, tokenHash, expiresAt: session.expiresAt };
  }
  if (Date.parse(record.expiresAt) <= now.getTime()) throw new UnauthenticatedError();
  const { restaurantId, staffId, role, station, expiresAt } = record;
  return { kind: 'staff', restaurantId, staffId, role, station, tokenHash, expiresAt };
}
