/** What the WebSocket routes do: connect, disconnect, subscribe to a station, sync a snapshot. The records themselves are shared/db/connections.ts. */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { GuestRef, Principal } from '../auth/principal';
import { getCart } from '../cart/cart';
import { claimSync, deleteConnection, getConnection, hasExpired, releaseSocketSlot, saveConnection, setStation, takeSocketSlot } from '../db/connections';
import type { Connection } from '../db/connections';
import { getToken } from '../db/tokens';
import { SocketError } from '../errors';
import { listTickets } from '../kitchen/kitchen';
import { listOrders } from '../orders/orders';
import { describeGuestSession } from '../sessions/join';
import { listServiceRequests } from '../sessions/service-requests';
import { Station } from '../contract/fields';
import { channels, channelsOf } from './channels';
import { fitFrame } from './messages';
import type { ServerMessage } from './messages';
import type { CommonMessageData, GuestMessageData, StaffMessageData } from '../contract/messages';

/** Sockets one token may hold open at once (API.md, WebSocket limits). */
export const SOCKETS_PER_TOKEN = 5;
/** At most one `sync` per this many seconds per connection. */
const SYNC_SECONDS = 1;

/**
 * `$connect`, after the authorizer accepted the token: take one of the token's socket slots (the
 * sixth socket is refused), then remember who this is and what they hear.
 */
export async function connect(principal: Principal, connectionId: string, now: Date): Promise<void> {
  const slot = await takeSocketSlot(principal.tokenHash, connectionId, SOCKETS_PER_TOKEN, now);
  if (slot === undefined) throw new SocketError(429, 'RATE_LIMITED', `At most ${SOCKETS_PER_TOKEN} sockets per token: close one first.`);
  const base = {
    connectionId,
    slot,
    restaurantId: principal.restaurantId,
    tokenHash: principal.tokenHash,
    channels: channelsOf(principal),
    connectedAt: now.toISOString(),
    expiresAt: principal.expiresAt,
  };
  const connection: Connection =
    principal.kind === 'guest'
      ? { ...base, kind: 'guest', sessionId: principal.sessionId, guestId: principal.guestId, mode: principal.mode }
      : { ...base, kind: 'staff', station: principal.role === 'KITCHEN' ? principal.station : null };
  try {
    await saveConnection(connection, now);
  } catch (error) {
    await releaseSocketSlot(principal.tokenHash, slot);
    throw error;
  }
  // The token may have been revoked since the authorizer read it, its revocation closing the token's
  // sockets before this one was stored: read it again now that the socket is findable, or refuse.
  if (!(await getToken(principal.tokenHash))) {
    await deleteConnection(connectionId); // its slot with it
    throw new SocketError(401, 'UNAUTHENTICATED', 'This token was revoked; join or log in again.');
  }
}

export const disconnect = (connectionId: string): Promise<void> => deleteConnection(connectionId);

/** An answer on one socket, typed by the contract's message maps: a guest's, a staff screen's, or one any socket gets. */
const reply = <K extends keyof ReplyData>(type: K, data: ReplyData[K], now: Date): ServerMessage => ({ type, id: randomUUID(), at: now.toISOString(), data });
type ReplyData = {
  [K in keyof GuestMessageData | keyof StaffMessageData | keyof CommonMessageData]:
    | (K extends keyof GuestMessageData ? GuestMessageData[K] : never)
    | (K extends keyof StaffMessageData ? StaffMessageData[K] : never)
    | (K extends keyof CommonMessageData ? CommonMessageData[K] : never);
};

/** The connection, still known and its token still valid. */
function liveConnection(connection: Connection | undefined, now: Date): Connection {
  if (!connection) throw new SocketError(410, 'GONE', 'This connection is no longer known; reconnect.');
  if (hasExpired(connection, now)) throw new SocketError(401, 'UNAUTHENTICATED', 'This token has expired; join or log in again.');
  return connection;
}

export const SubscribeMessage = z.object({ action: z.literal('subscribe'), station: Station.nullable() });

/** Staff: follow one station's tickets (or all, with null). */
export async function subscribe(connectionId: string, body: unknown, now: Date): Promise<ServerMessage> {
  const connection = liveConnection(await getConnection(connectionId), now);
  if (connection.kind !== 'staff') throw new SocketError(403, 'FORBIDDEN', 'Only staff screens subscribe to stations.');
  const message = SubscribeMessage.safeParse(body);
  if (!message.success) throw new SocketError(400, 'VALIDATION_FAILED', 'Send {"action":"subscribe","station":"GRILL"} or null.');
  await setStation(connection, channels.kitchen(connection.restaurantId), message.data.station);
  return reply('subscribed', { station: message.data.station }, now);
}

/** The current state after (re)connecting: a guest's session, cart and orders; staff's active tickets. At most one per second. */
export async function snapshot(connectionId: string, now: Date): Promise<ServerMessage> {
  const claimed = await claimSync(connectionId, SYNC_SECONDS, now);
  if (claimed === 'TOO_SOON') throw new SocketError(429, 'RATE_LIMITED', `At most one sync per ${SYNC_SECONDS} s per connection.`);
  const connection = liveConnection(claimed, now);
  if (connection.kind === 'guest') {
    const { restaurantId, sessionId, guestId, mode } = connection;
    const guest: GuestRef = { restaurantId, sessionId, guestId, mode };
    const [session, cart, orders] = await Promise.all([describeGuestSession(guest, now), getCart(guest), listOrders(guest)]);
    // Too big for one frame: the client reads the same state over REST.
    return fitFrame(reply('snapshot', { session, cart, orders }, now), {});
  }
  // The floor (its roles are members of the floor channel) also gets the open service requests.
  const floor = connection.channels.includes(channels.floor(connection.restaurantId));
  const [{ tickets }, serviceRequests] = await Promise.all([
    listTickets(connection.restaurantId, connection.station, { limit: 100 }),
    floor ? listServiceRequests(connection.restaurantId).then((list) => list.requests) : undefined,
  ]);
  // Oldest tickets first; if they do not all fit in a frame, send what fits and say so.
  let message = reply('snapshot', { tickets, serviceRequests }, now);
  while (fitFrame(message, {}) !== message && tickets.length > 0) {
    tickets.pop();
    message = reply('snapshot', { tickets, serviceRequests, truncated: true }, now);
  }
  return message;
}

export const pong = (now: Date): ServerMessage => reply('pong', {}, now);

export const errorMessage = (code: string, message: string, now: Date): ServerMessage => reply('error', { code, message }, now);
