import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../core';
import { batchWrite, deleteRequest } from './batch';
import { db, tableName } from './client';
import { keyPrefixes, keys } from './keys';
import type { Key } from './keys';
import { queryAll } from './query';
import { epochSeconds } from './time';
import { named, transactWrite } from './transact';
import type { TransactItem } from './transact';
import { ENTITY } from './entities';

/** What a staff token stands for. */
export interface StaffToken {
  kind: 'staff';
  restaurantId: string;
  staffId: string;
  role: Role;
  station: string | null;
  expiresAt: string;
}

/** What a guest token stands for; it lives no longer than its session. */
export interface GuestToken {
  kind: 'guest';
  restaurantId: string;
  sessionId: string;
  guestId: string;
  expiresAt: string;
}

export type TokenRecord = StaffToken | GuestToken;

/**
 * Puts of a new token and its back-reference on its holder, so deleting the person (or removing the
 * guest) revokes every token they hold. Pair a guest's with a condition that the session is open.
 */
export function putToken(tokenHash: string, token: TokenRecord): TransactItem[] {
  const ttl = epochSeconds(new Date(token.expiresAt));
  const reference =
    token.kind === 'staff'
      ? named('staffTokenRef', { Put: { TableName: tableName(), Item: { ...keys.staffToken(token.restaurantId, token.staffId, tokenHash), type: ENTITY.staffTokenRef, ttl } } })
      : named('guestTokenRef', { Put: { TableName: tableName(), Item: { ...keys.guestToken(token.sessionId, token.guestId, tokenHash), type: ENTITY.guestTokenRef, ttl } } });
  return [
    named('token', {
      Put: {
        TableName: tableName(),
        Item: { ...keys.token(tokenHash), type: ENTITY.token, ...token, ttl },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }),
    reference,
  ];
}

/** The token by hash, read consistently so a revocation is seen by the very next request. */
export async function getToken(tokenHash: string): Promise<TokenRecord | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.token(tokenHash), ConsistentRead: true }));
  if (!Item) return undefined;
  if (Item.kind === 'guest') {
    return { kind: 'guest', restaurantId: Item.restaurantId, sessionId: Item.sessionId, guestId: Item.guestId, expiresAt: Item.expiresAt };
  }
  return {
    kind: 'staff',
    restaurantId: Item.restaurantId,
    staffId: Item.staffId,
    role: Item.role,
    station: Item.station ?? null,
    expiresAt: Item.expiresAt,
  };
}

/** Revokes one token (logout), with its back-reference when it belongs to a staff member. */
export async function deleteToken(tokenHash: string, staff?: { restaurantId: string; staffId: string }): Promise<void> {
  const items: TransactItem[] = [named('token', { Delete: { TableName: tableName(), Key: keys.token(tokenHash) } })];
  if (staff) {
    items.push(named('staffTokenRef', { Delete: { TableName: tableName(), Key: keys.staffToken(staff.restaurantId, staff.staffId, tokenHash) } }));
  }
  await transactWrite(items);
}

/**
 * Revokes every token behind the back-references under `pk` starting with `prefix`, found with a
 * consistent Query (a GSI would be eventually consistent and could miss a token issued a moment ago).
 */
async function deleteTokensByRefs(pk: string, prefix: string): Promise<void> {
  const refs = (await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    ProjectionExpression: 'pk, sk',
    ConsistentRead: true,
  })) as unknown as Key[];
  const hashes = refs.map((ref) => ref.sk.slice(prefix.length));
  await batchWrite([...hashes.map((hash) => deleteRequest(keys.token(hash))), ...refs.map(deleteRequest)]);
}

/** Revokes every token of a staff member. */
export const deleteAllStaffTokens = (restaurantId: string, staffId: string): Promise<void> =>
  deleteTokensByRefs(keyPrefixes.restaurantPk(restaurantId), keyPrefixes.staffTokens(staffId));

/** Revokes every token of a guest. */
export const deleteAllGuestTokens = (sessionId: string, guestId: string): Promise<void> =>
  deleteTokensByRefs(keyPrefixes.sessionPk(sessionId), keyPrefixes.guestTokens(guestId));
