import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import type { Key } from '../db/keys';
import { epochSeconds } from '../db/time';

/**
 * A rolling-window limit ("at most `limit` per `windowSeconds`") as a sliding-window counter: one
 * counter item per fixed window, and the previous window's count weighted by how much of it still
 * overlaps the rolling window. Reserving is one conditional update, so parallel requests cannot
 * overrun the limit; the counter items expire by TTL.
 */
export interface WindowPolicy {
  limit: number;
  windowSeconds: number;
}

export type WindowReservation = { allowed: true; key: Key } | { allowed: false; retryAfterSeconds: number };

/**
 * Seconds until a reservation would succeed: within this window once the previous window's
 * weight has decayed enough, else in the next one, where this window becomes the previous.
 */
export function windowRetryAfter(policy: WindowPolicy, previous: number, current: number, elapsed: number): number {
  const { limit, windowSeconds: w } = policy;
  const room = limit - 1 - current;
  if (room >= 0 && previous > 0) return Math.max(1, Math.ceil(w * (1 - room / previous) - elapsed));
  const decay = current > limit - 1 ? w * (1 - (limit - 1) / current) : 0;
  return Math.max(1, w - elapsed + Math.ceil(decay));
}

/** Counts one event against the limit, or says how long to wait. */
export async function reserveInWindow(keyFor: (windowStart: number) => Key, policy: WindowPolicy, now: Date): Promise<WindowReservation> {
  const w = policy.windowSeconds;
  const nowSeconds = epochSeconds(now);
  const start = Math.floor(nowSeconds / w) * w;
  const elapsed = nowSeconds - start;
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keyFor(start - w) }));
  const previous = Number(Item?.count ?? 0);
  const allowed = policy.limit - Math.ceil(previous * (1 - elapsed / w));
  const key = keyFor(start);
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: 'ADD #count :one SET #ttl = :ttl',
        ConditionExpression: '(attribute_not_exists(#count) AND :zero < :allowed) OR #count < :allowed',
        ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':allowed': allowed, ':ttl': start + 2 * w },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { allowed: true, key };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const current = Number(error.Item?.count?.N ?? 0);
    return { allowed: false, retryAfterSeconds: windowRetryAfter(policy, previous, current, elapsed) };
  }
}

/** Takes back a reservation that turned out not to count (the attempt succeeded). */
export async function releaseInWindow(key: Key): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: 'ADD #count :minusOne',
      ConditionExpression: 'attribute_exists(#count)',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':minusOne': -1 },
    }),
  ).catch((error: unknown) => {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  });
}
