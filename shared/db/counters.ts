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
  return Number(Item?.count ?? 0);
}

/** Adds one to a window's count while it is under `allowed`: true, or false with the count that refused it. */
export async function countInWindow(key: Key, allowed: number, ttl: number): Promise<{ counted: true } | { counted: false; current: number }> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: 'ADD #count :one SET #ttl = :ttl',
        ConditionExpression: '(attribute_not_exists(#count) AND :zero < :allowed) OR #count < :allowed',
        ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':allowed': allowed, ':ttl': ttl },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { counted: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return { counted: false, current: Number(error.Item?.count?.N ?? 0) };
  }
}

/** Takes one back from a window's count (if the window is still there). */
export async function uncountInWindow(key: Key): Promise<void> {
  await db()
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: 'ADD #count :minusOne',
        ConditionExpression: 'attribute_exists(#count)',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':minusOne': -1 },
      }),
    )
    .catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
}
