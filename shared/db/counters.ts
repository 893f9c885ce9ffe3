import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import type { Key } from './keys';

/** The counter items behind the throttles (shared/throttle): each change is one conditional update. */

/** An attempt counter as a refused reservation found it. */
export interface AttemptCounter {
  failures: number;
  blocks: number;
  /** Epoch seconds; 0 when never blocked. */
  blockedUntil: number;
}

/**
 * Counts one more attempt unless `max` are already counted or a block holds at `nowSeconds`:
 * `taken` with the new counts, or not, with the counter that refused it.
 */
export async function takeAttempt(
  key: Key,
  max: number,
  nowSeconds: number,
  ttl: number,
): Promise<{ taken: true; failures: number; blocks: number } | { taken: false; counter: AttemptCounter }> {
  try {
    const { Attributes } = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: 'SET failures = if_not_exists(failures, :zero) + :one, #ttl = :ttl',
        ConditionExpression:
          '(attribute_not_exists(blockedUntil) OR blockedUntil <= :now) AND (attribute_not_exists(failures) OR failures < :max)',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':now': nowSeconds, ':max': max, ':ttl': ttl },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { taken: true, failures: Number(Attributes?.failures), blocks: Number(Attributes?.blocks ?? 0) };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // The low-level exception carries the old item in wire format.
    const old = error.Item;
    return {
      taken: false,
      counter: { failures: Number(old?.failures?.N ?? 0), blocks: Number(old?.blocks?.N ?? 0), blockedUntil: Number(old?.blockedUntil?.N ?? 0) },
    };
  }
}

/** Starts a block while at least `max` failures are counted; false when a success reset the count meanwhile. */
export async function startBlock(key: Key, max: number, blockedUntil: number, ttl: number): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: 'SET blockedUntil = :until, failures = :zero, #ttl = :ttl ADD blocks :one',
        ConditionExpression: 'failures >= :max',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':until': blockedUntil, ':zero': 0, ':one': 1, ':max': max, ':ttl': ttl },
      }),
    );
    return true;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return false;
  }
}

/** Starts the consecutive-failure count again (earlier blocks still count). */
export async function resetFailures(key: Key): Promise<void> {
  await db().send(
    new UpdateCommand({ TableName: tableName(), Key: key, UpdateExpression: 'SET failures = :zero', ExpressionAttributeValues: { ':zero': 0 } }),
  );
}

/** A fixed window's count (0 when there is no item). */
export async function windowCount(key: Key): Promise<number> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: key }));
  return toWindowCount(Item);
}

/** A window counter item's count, 0 when there is none. */
export const toWindowCount = (item: Record<string, unknown> | undefined): number => Number(item?.count ?? 0);

/** A counter item as read: 0s when there is none. */
export async function readAttemptCounter(key: Key): Promise<AttemptCounter> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return toAttemptCounter(Item);
}

/** An attempt counter item as read: 0s when there is none. */
export const toAttemptCounter = (item: Record<string, unknown> | undefined): AttemptCounter => ({
  failures: Number(item?.failures ?? 0),
  blocks: Number(item?.blocks ?? 0),
  blockedUntil: Number(item?.blockedUntil ?? 0),
});

/** Counts one failure (never refused): the counts after it. */
export async function addFailure(key: Key, ttl: number): Promise<{ failures: number; blocks: number }> {
  const { Attributes } = await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: 'SET failures = if_not_exists(failures, :zero) + :one, #ttl = :ttl',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':ttl': ttl },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return { failures: Number(Attributes?.failures), blocks: Number(Attributes?.blocks ?? 0) };
}

/** Adds one to a window's count, whatever it is (a failure that happened). */
export async function addToWindow(key: Key, ttl: number): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: 'ADD #count :one SET #ttl = :ttl',
      ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':one': 1, ':ttl': ttl },
    }),
  );
}

/**
 * A session's PIN guard: `reserved` counts wrong PINs plus attempts in flight, `failures` the wrong
 * PINs alone, `guardedAt` is set once `failures` reach the threshold. Takes a slot while fewer than
 * `max` are reserved and the session is not guarded.
 */
export async function takeGuardSlot(key: Key, max: number, ttl: number): Promise<{ taken: true } | { taken: false; guarded: boolean }> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: 'ADD reserved :one SET #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(guardedAt) AND (attribute_not_exists(reserved) OR reserved < :max)',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':max': max, ':ttl': ttl },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { taken: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return { taken: false, guarded: error.Item?.guardedAt !== undefined };
  }
}

/** Gives a slot back: the attempt in flight had the right PIN. */
export async function releaseGuardSlot(key: Key): Promise<void> {
  await db().send(
    new UpdateCommand({ TableName: tableName(), Key: key, UpdateExpression: 'ADD reserved :minusOne', ExpressionAttributeValues: { ':minusOne': -1 } }),
  );
}

/** Counts a wrong PIN (its slot stays taken): the number of wrong PINs so far. */
export async function addGuardFailure(key: Key): Promise<number> {
  const { Attributes } = await db().send(
    new UpdateCommand({ TableName: tableName(), Key: key, UpdateExpression: 'ADD failures :one', ExpressionAttributeValues: { ':one': 1 }, ReturnValues: 'UPDATED_NEW' }),
  );
  return Number(Attributes?.failures);
}

/**
 * Marks the session guarded, with what the floor needs to hear about it (the stream sees this item):
 * true for the one call that did it.
 */
export async function setGuarded(key: Key, fields: Record<string, string>, nowIso: string): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: `SET guardedAt = :now, ${Object.keys(fields).map((name) => `#${name} = :${name}`).join(', ')}`,
        ConditionExpression: 'attribute_not_exists(guardedAt)',
        ExpressionAttributeNames: Object.fromEntries(Object.keys(fields).map((name) => [`#${name}`, name])),
        ExpressionAttributeValues: { ':now': nowIso, ...Object.fromEntries(Object.entries(fields).map(([name, value]) => [`:${name}`, value])) },
      }),
    );
    return true;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return false;
  }
}

/** Whether the guard holds (a consistent read). */
export async function isGuarded(key: Key): Promise<boolean> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true, ProjectionExpression: 'guardedAt' }));
  return Item?.guardedAt !== undefined;
}
