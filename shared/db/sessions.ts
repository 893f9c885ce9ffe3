import * as z from 'zod';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keyPrefixes, keys, openSessionsIndex } from './keys';
import { queryAll, queryIndexPartition } from './query';
import { named } from './transact';
import type { TransactItem } from './transact';
import { SESSION_MODES } from '../core';
import { ENTITY } from './entities';
import { epochSeconds } from './time';

const TableSessionItem = z.object({
  sessionId: z.string(),
  restaurantId: z.string(),
  tableId: z.string(),
  mode: z.enum(SESSION_MODES),
  status: z.enum(['OPEN', 'CLOSED']),
  openedAt: z.string(),
  expiresAt: z.string(),
  closedAt: z.string().nullable().default(null),
  openedBy: z.string(),
  pinHash: z.string(),
  /** The highest course the floor has fired (courses 0 and 1 are fired at placement). */
  firedCourse: z.number().int().default(1),
});
export type TableSession = z.infer<typeof TableSessionItem>;

const GuestItem = z.object({
  sessionId: z.string(),
  guestId: z.string(),
  name: z.string().nullable().default(null),
  joinedAt: z.string(),
  /** Set when staff removed the guest: kept for the bill, never admitted again. */
  removedAt: z.string().nullable().default(null),
});
export type Guest = z.infer<typeof GuestItem>;

export const toSession = (item: Record<string, unknown>): TableSession => TableSessionItem.parse(item);
const toGuest = (item: Record<string, unknown>): Guest => GuestItem.parse(item);

/** Condition on a table: no live session holds it (none, or only one that has expired). */
const TABLE_FREE = 'attribute_exists(pk) AND (attribute_not_exists(openSessionId) OR openSessionExpiresAt <= :now)';

/** Claims the table for the session (`table` fails when the table is busy) and puts the session. */
export function openSessionItems(session: TableSession, now: Date): TransactItem[] {
  return [
    named('table', {
      Update: {
        TableName: tableName(),
        Key: keys.table(session.restaurantId, session.tableId),
        UpdateExpression: 'SET openSessionId = :sessionId, openSessionExpiresAt = :expiresAt',
        ConditionExpression: TABLE_FREE,
        ExpressionAttributeValues: { ':sessionId': session.sessionId, ':expiresAt': session.expiresAt, ':now': now.toISOString() },
      },
    }),
    named('session', {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.session(session.sessionId),
          gsi1pk: openSessionsIndex.pk(session.restaurantId),
          gsi1sk: openSessionsIndex.sk(session.openedAt, session.sessionId),
          type: ENTITY.tableSession,
          ...session,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }),
  ];
}

/** Releases the table if it still points at this session (never another session's claim). */
function releaseTable(session: TableSession): TransactItem {
  return named('heldTable', {
    Update: {
      TableName: tableName(),
      Key: keys.table(session.restaurantId, session.tableId),
      UpdateExpression: 'REMOVE openSessionId, openSessionExpiresAt',
      ConditionExpression: 'openSessionId = :sessionId',
      ExpressionAttributeValues: { ':sessionId': session.sessionId },
    },
  });
}

/** Moves the session: release the old table, claim the new one (`toTable` fails when it is busy). */
export function moveSessionItems(session: TableSession, toTableId: string, now: Date): TransactItem[] {
  return [
    releaseTable(session),
    named('toTable', {
      Update: {
        TableName: tableName(),
        Key: keys.table(session.restaurantId, toTableId),
        UpdateExpression: 'SET openSessionId = :sessionId, openSessionExpiresAt = :expiresAt',
        ConditionExpression: TABLE_FREE,
        ExpressionAttributeValues: { ':sessionId': session.sessionId, ':expiresAt': session.expiresAt, ':now': now.toISOString() },
      },
    }),
    named('session', {
      Update: {
        TableName: tableName(),
        Key: keys.session(session.sessionId),
        UpdateExpression: 'SET tableId = :tableId',
        ConditionExpression: '#status = :open AND tableId = :from',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':tableId': toTableId, ':open': 'OPEN', ':from': session.tableId },
      },
    }),
  ];
}

/** Closes the session (`session` fails when it is already closed) and frees its table if it still holds it. */
export function closeSessionItems(session: TableSession, holdsTable: boolean, now: Date): TransactItem[] {
  const close: TransactItem = named('session', {
    Update: {
      TableName: tableName(),
      Key: keys.session(session.sessionId),
      UpdateExpression: 'SET #status = :closed, closedAt = :now REMOVE gsi1pk, gsi1sk',
      ConditionExpression: '#status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':closed': 'CLOSED', ':open': 'OPEN', ':now': now.toISOString() },
    },
  });
  return holdsTable ? [close, releaseTable(session)] : [close];
}

/** A new PIN hash; the lockout goes with the old PIN (`session` fails when the session is closed). */
export function replacePinItems(sessionId: string, pinHash: string): TransactItem[] {
  return [
    named('session', {
      Update: {
        TableName: tableName(),
        Key: keys.session(sessionId),
        UpdateExpression: 'SET pinHash = :pinHash',
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pinHash': pinHash, ':open': 'OPEN' },
      },
    }),
    named('pinGuard', { Delete: { TableName: tableName(), Key: keys.pinGuard(sessionId) } }),
  ];
}

/** Records that the floor fired `course` (never lowers it), on a session that is still live. */
export function fireCourseItem(sessionId: string, course: number, now: Date): TransactItem {
  return named('sessionLive', {
    Update: {
      TableName: tableName(),
      Key: keys.session(sessionId),
      UpdateExpression: 'SET firedCourse = :course',
      ConditionExpression: '#status = :open AND expiresAt > :now AND (attribute_not_exists(firedCourse) OR firedCourse < :course)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':open': 'OPEN', ':now': now.toISOString(), ':course': course },
    },
  });
}

/** Condition that the session is open and not expired, for writes that must not outlive it. */
export function sessionLiveCondition(sessionId: string, now: Date): TransactItem {
  return named('sessionLive', {
    ConditionCheck: {
      TableName: tableName(),
      Key: keys.session(sessionId),
      ConditionExpression: '#status = :open AND expiresAt > :now',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':open': 'OPEN', ':now': now.toISOString() },
    },
  });
}

/**
 * Admits a new guest: the session is live and has room (`sessionLive` fails otherwise; read the
 * session to tell which), and its guest count goes up by one.
 */
export function admitGuestItems(guest: Guest, now: Date, maxGuests: number): TransactItem[] {
  return [
    named('sessionLive', {
      Update: {
        TableName: tableName(),
        Key: keys.session(guest.sessionId),
        UpdateExpression: 'ADD guestCount :one',
        ConditionExpression: '#status = :open AND expiresAt > :now AND (attribute_not_exists(guestCount) OR guestCount < :max)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':open': 'OPEN', ':now': now.toISOString(), ':one': 1, ':max': maxGuests },
      },
    }),
    putGuest(guest),
  ];
}

/** Marks a guest removed (`guest` fails when there is no such guest). */
export function removeGuestItem(sessionId: string, guestId: string, now: Date): TransactItem {
  return named('guest', {
    Update: {
      TableName: tableName(),
      Key: keys.guest(sessionId, guestId),
      UpdateExpression: 'SET removedAt = if_not_exists(removedAt, :now)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':now': now.toISOString() },
    },
  });
}

/** A rejoin code for one guest, kept (by HMAC) until used or expired. */
export function putRejoinCode(sessionId: string, codeHash: string, guestId: string, expiresAt: Date): TransactItem {
  return named('rejoinCode', {
    Put: {
      TableName: tableName(),
      Item: { ...keys.rejoinCode(sessionId, codeHash), type: ENTITY.rejoinCode, guestId, expiresAt: expiresAt.toISOString(), ttl: epochSeconds(expiresAt) },
    },
  });
}

/** Uses a rejoin code up: `rejoinCode` fails when it is unknown, another guest's or expired. */
export function useRejoinCode(sessionId: string, codeHash: string, guestId: string, now: Date): TransactItem {
  return named('rejoinCode', {
    Delete: {
      TableName: tableName(),
      Key: keys.rejoinCode(sessionId, codeHash),
      ConditionExpression: 'guestId = :guestId AND expiresAt > :now',
      ExpressionAttributeValues: { ':guestId': guestId, ':now': now.toISOString() },
    },
  });
}

function putGuest(guest: Guest): TransactItem {
  // `removedAt` is absent until the guest is removed (removal sets it only where it does not exist).
  const { removedAt: _none, ...fields } = guest;
  return named('guest', {
    Put: {
      TableName: tableName(),
      Item: { ...keys.guest(guest.sessionId, guest.guestId), type: ENTITY.guest, ...fields },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
}

export async function getSession(sessionId: string): Promise<TableSession | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.session(sessionId), ConsistentRead: true }));
  return Item && toSession(Item);
}

export async function getGuest(sessionId: string, guestId: string): Promise<Guest | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.guest(sessionId, guestId), ConsistentRead: true }));
  return Item && toGuest(Item);
}

export async function listGuests(sessionId: string): Promise<Guest[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keyPrefixes.sessionPk(sessionId), ':prefix': keyPrefixes.guests },
  });
  return items.map(toGuest);
}

/** A restaurant's sessions not yet closed, oldest first: one Query on gsi1. */
export async function queryOpenSessions(restaurantId: string): Promise<TableSession[]> {
  const items = await queryIndexPartition(openSessionsIndex.pk(restaurantId));
  return items.map(toSession);
}
