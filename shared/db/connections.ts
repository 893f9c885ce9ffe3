import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchWrite, deleteRequest, putRequest } from './batch';
import { db, tableName } from './client';
import { keyPrefixes, keys } from './keys';
import type { Key } from './keys';
import { queryAll } from './query';
import { epochSeconds } from './time';
import * as z from 'zod';
import { SESSION_MODES } from '../core';
import { ENTITY } from './entities';

/** API Gateway closes a WebSocket connection after two hours at most; its items live no longer. */
export const CONNECTION_TTL_SECONDS = 2 * 3600;

const connectionBase = {
  connectionId: z.string(),
  /** Which of its token's socket slots this connection holds (absent on connections made before slots). */
  slot: z.number().int().min(0).optional(),
  restaurantId: z.string(),
  tokenHash: z.string(),
  channels: z.array(z.string()),
  connectedAt: z.string(),
  /** When its token stops working: from then on it hears nothing and its sync is refused. */
  expiresAt: z.string().optional(),
};

/**
 * A WebSocket connection: a guest's (their session, identity and mode) or a staff screen's (the
 * station it follows, or null for all). Read back through this schema, so a malformed item is an
 * error here rather than a wrong message later.
 */
const ConnectionItem = z.discriminatedUnion('kind', [
  z.object({ ...connectionBase, kind: z.literal('guest'), sessionId: z.string(), guestId: z.string(), mode: z.enum(SESSION_MODES) }),
  z.object({ ...connectionBase, kind: z.literal('staff'), station: z.string().nullable().default(null) }),
]);
export type Connection = z.infer<typeof ConnectionItem>;
export type GuestConnection = Extract<Connection, { kind: 'guest' }>;

/** What the fan-out needs to know of each member of a channel, copied onto the membership item. */
const memberBase = { connectionId: z.string(), expiresAt: z.string().optional() };
const ChannelMemberItem = z.discriminatedUnion('kind', [
  z.object({ ...memberBase, kind: z.literal('guest'), guestId: z.string(), mode: z.enum(SESSION_MODES) }),
  z.object({ ...memberBase, kind: z.literal('staff'), station: z.string().nullable().default(null) }),
]);
export type ChannelMember = z.infer<typeof ChannelMemberItem>;
export type GuestMember = Extract<ChannelMember, { kind: 'guest' }>;
export type StaffMember = Extract<ChannelMember, { kind: 'staff' }>;

/** A connection (or membership) whose token, or for a guest whose session, has expired: it hears nothing more. */
export const hasExpired = (connection: { expiresAt?: string }, now: Date): boolean =>
  connection.expiresAt !== undefined && Date.parse(connection.expiresAt) <= now.getTime();

const memberOf = (connection: Connection): ChannelMember => {
  const { connectionId, expiresAt } = connection;
  return connection.kind === 'guest'
    ? { connectionId, expiresAt, kind: 'guest', guestId: connection.guestId, mode: connection.mode }
    : { connectionId, expiresAt, kind: 'staff', station: connection.station };
};

const itemsOf = (connection: Connection): Key[] => [
  keys.connection(connection.connectionId),
  ...(connection.slot === undefined ? [] : [keys.socketSlot(connection.tokenHash, connection.slot)]),
  keys.tokenConnection(connection.tokenHash, connection.connectionId),
  ...connection.channels.map((channel) => keys.channelMember(channel, connection.connectionId)),
];

/**
 * Takes a free socket slot of the token, one conditional put per slot tried (a slot whose connection
 * outlived API Gateway's two hours is free again): the slot, or undefined when all are held.
 */
export async function takeSocketSlot(tokenHash: string, connectionId: string, slots: number, now: Date): Promise<number | undefined> {
  for (let slot = 0; slot < slots; slot++) {
    try {
      await db().send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...keys.socketSlot(tokenHash, slot), type: ENTITY.socketSlot, connectionId, ttl: epochSeconds(now) + CONNECTION_TTL_SECONDS },
          ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':now': epochSeconds(now) },
        }),
      );
      return slot;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  return undefined;
}

/** Gives a slot back (a connection that could not be stored). */
export async function releaseSocketSlot(tokenHash: string, slot: number): Promise<void> {
  await batchWrite([deleteRequest(keys.socketSlot(tokenHash, slot))]);
}

/**
 * Marks a `sync` on the connection unless one was served less than `minSeconds` ago: the connection,
 * or undefined when it is too soon (or the connection is gone: see {@link getConnection}).
 */
export async function claimSync(connectionId: string, minSeconds: number, now: Date): Promise<Connection | 'TOO_SOON' | undefined> {
  try {
    const { Attributes } = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.connection(connectionId),
        UpdateExpression: 'SET lastSyncAt = :now',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastSyncAt) OR lastSyncAt <= :earliest)',
        ExpressionAttributeValues: { ':now': now.getTime(), ':earliest': now.getTime() - minSeconds * 1000 },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return Attributes && ConnectionItem.parse(Attributes);
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return error.Item ? 'TOO_SOON' : undefined;
  }
}

/** Stores a new connection, its channel memberships and its token link, all expiring with the connection. */
export async function saveConnection(connection: Connection, now: Date): Promise<void> {
  const ttl = epochSeconds(now) + CONNECTION_TTL_SECONDS;
  const { connectionId } = connection;
  const member = { ...memberOf(connection), ttl };
  await batchWrite([
    putRequest({ ...keys.connection(connectionId), type: ENTITY.connection, ...connection, ttl }),
    putRequest({ ...keys.tokenConnection(connection.tokenHash, connectionId), type: ENTITY.tokenConnection, connectionId, ttl }),
    ...connection.channels.map((channel) => putRequest({ ...keys.channelMember(channel, connectionId), type: ENTITY.channelMember, ...member })),
  ]);
}

export async function getConnection(connectionId: string): Promise<Connection | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.connection(connectionId), ConsistentRead: true }));
  return Item && ConnectionItem.parse(Item);
}

/** Forgets a connection and everything that points at it (idempotent). */
export async function deleteConnection(connectionId: string): Promise<void> {
  await forget(connectionId, await getConnection(connectionId));
}

/**
 * API Gateway answers 410 for a connection whose `$connect` has not returned yet (an integration
 * runs 29 s at most): one younger than this may be a handshake in progress, not a dead phone.
 */
export const HANDSHAKE_SECONDS = 30;

/**
 * Forgets a connection a post found gone (410), and its membership of `seenIn` even if the connection
 * item is already gone, unless it connected less than {@link HANDSHAKE_SECONDS} ago: its `$connect`
 * may still be running, and the socket asks for a `sync` once open. True when forgotten.
 */
export async function forgetGoneConnection(connectionId: string, seenIn: string, now: Date): Promise<boolean> {
  const connection = await getConnection(connectionId);
  if (connection && Date.parse(connection.connectedAt) > now.getTime() - HANDSHAKE_SECONDS * 1000) return false;
  await forget(connectionId, connection, seenIn);
  return true;
}

async function forget(connectionId: string, connection: Connection | undefined, seenIn?: string): Promise<void> {
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
  return items.map((item) => ChannelMemberItem.parse(item));
}

/** The connections a token opened (to close them when it is revoked), read consistently: one opened a moment ago is closed too. */
export async function connectionsOfToken(tokenHash: string): Promise<string[]> {
  const items = await queryAll({
    ConsistentRead: true,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keyPrefixes.tokenPk(tokenHash), ':prefix': keyPrefixes.connections },
  });
  return items.map((item) => item.connectionId as string);
}

/** Points a kitchen screen at one station (or all, with null), on the connection and its membership. */
export async function setStation(connection: Extract<Connection, { kind: 'staff' }>, channel: string, station: string | null): Promise<void> {
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
