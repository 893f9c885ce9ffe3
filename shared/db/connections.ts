import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchWrite, deleteRequest, putRequest } from './batch';
import { db, tableName } from './client';
import { keyPrefixes, keys } from './keys';
import type { Key } from './keys';
import { queryAll } from './query';
import { epochSeconds } from './time';
import type { SessionMode } from '../core';

/** API Gateway closes a WebSocket connection after two hours at most; its items live no longer. */
export const CONNECTION_TTL_SECONDS = 2 * 3600;

export interface Connection {
  connectionId: string;
  kind: 'guest' | 'staff';
  restaurantId: string;
  tokenHash: string;
  /** Guests. */
  sessionId: string | null;
  guestId: string | null;
  mode: SessionMode | null;
  /** Staff: the station the kitchen screen follows, or null for all. */
  station: string | null;
  channels: string[];
  connectedAt: string;
}

/** What the fan-out needs to know of each member of a channel, copied onto the membership item. */
export type ChannelMember = Pick<Connection, 'connectionId' | 'kind' | 'guestId' | 'mode' | 'station'>;

const toConnection = (item: Record<string, unknown>): Connection => ({
  connectionId: item.connectionId as string,
  kind: item.kind as Connection['kind'],
  restaurantId: item.restaurantId as string,
  tokenHash: item.tokenHash as string,
  sessionId: (item.sessionId as string | undefined) ?? null,
  guestId: (item.guestId as string | undefined) ?? null,
  mode: (item.mode as Connection['mode'] | undefined) ?? null,
  station: (item.station as string | undefined) ?? null,
  channels: item.channels as string[],
  connectedAt: item.connectedAt as string,
});

const toMember = (item: Record<string, unknown>): ChannelMember => ({
  connectionId: item.connectionId as string,
  kind: item.kind as Connection['kind'],
  guestId: (item.guestId as string | undefined) ?? null,
  mode: (item.mode as Connection['mode'] | undefined) ?? null,
  station: (item.station as string | undefined) ?? null,
});

const itemsOf = (connection: Connection): Key[] => [
  keys.connection(connection.connectionId),
  keys.tokenConnection(connection.tokenHash, connection.connectionId),
  ...connection.channels.map((channel) => keys.channelMember(channel, connection.connectionId)),
];

/** Stores a new connection, its channel memberships and its token link, all expiring with the connection. */
export async function saveConnection(connection: Connection, now: Date): Promise<void> {
  const ttl = epochSeconds(now) + CONNECTION_TTL_SECONDS;
  const { connectionId, kind, guestId, mode, station } = connection;
  const member = { connectionId, kind, guestId, mode, station, ttl };
  await batchWrite([
    putRequest({ ...keys.connection(connectionId), type: 'Connection', ...connection, ttl }),
    putRequest({ ...keys.tokenConnection(connection.tokenHash, connectionId), type: 'TokenConnection', connectionId, ttl }),
    ...connection.channels.map((channel) => putRequest({ ...keys.channelMember(channel, connectionId), type: 'ChannelMember', ...member })),
  ]);
}

export async function getConnection(connectionId: string): Promise<Connection | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.connection(connectionId), ConsistentRead: true }));
  return Item && toConnection(Item);
}

/**
 * Forgets a connection and everything that points at it (idempotent). `seenIn` names a channel
 * membership to drop even if the connection item itself is already gone.
 */
export async function deleteConnection(connectionId: string, seenIn?: string): Promise<void> {
  const connection = await getConnection(connectionId);
  const known = connection ? itemsOf(connection) : [];
  const extra = seenIn && !connection?.channels.includes(seenIn) ? [keys.channelMember(seenIn, connectionId)] : [];
  if (known.length + extra.length > 0) await batchWrite([...known, ...extra].map(deleteRequest));
}

/** The members of a channel: one Query on its partition. */
export async function listChannel(channel: string): Promise<ChannelMember[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keyPrefixes.channelPk(channel) },
  });
  return items.map(toMember);
}

/** The connections a token opened (to close them when it is revoked). */
export async function connectionsOfToken(tokenHash: string): Promise<string[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keyPrefixes.tokenPk(tokenHash), ':prefix': keyPrefixes.connections },
  });
  return items.map((item) => item.connectionId as string);
}

/** Points a kitchen screen at one station (or all, with null), on the connection and its membership. */
export async function setStation(connection: Connection, channel: string, station: string | null): Promise<void> {
  await Promise.all(
    [keys.connection(connection.connectionId), keys.channelMember(channel, connection.connectionId)].map((key) =>
      db().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: key,
          UpdateExpression: 'SET station = :station',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':station': station },
        }),
      ),
    ),
  );
}
