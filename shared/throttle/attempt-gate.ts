import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import type { Key } from '../db/keys';
import { epochSeconds } from '../db/time';

/**
 * Lockout after consecutive failures, kept in one counter item. Each block lasts
 * `lockoutSeconds × 2^(earlier blocks)`, capped at `maxLockoutSeconds`.
 */
export interface AttemptPolicy {
  maxFailures: number;
  lockoutSeconds: number;
  maxLockoutSeconds: number;
  /** How long an idle counter is remembered (its TTL after the last attempt or block). */
  memorySeconds: number;
}

/** An attempt that may go ahead; it already counts as a failure until {@link recordSuccess}. */
export interface AttemptSlot {
  key: Key;
  failures: number;
  blocks: number;
}

export type Reservation = { allowed: true; slot: AttemptSlot } | { allowed: false; retryAfterSeconds: number };

export type FailureOutcome = { blocked: false; attemptsLeft: number } | { blocked: true; retryAfterSeconds: number };

const lockoutSeconds = (policy: AttemptPolicy, blocks: number) =>
  Math.min(policy.lockoutSeconds * 2 ** blocks, policy.maxLockoutSeconds);

/** Waits (ms) before asking again while parallel attempts hold every slot; together well under a second. */
const CONTENTION_WAITS_MS = [25, 50, 100, 200, 400];

/**
 * Reserves an attempt with one conditional update: the failure is counted before the secret is
 * checked, and the condition refuses once `maxFailures` are counted or a block holds. So however
 * many attempts arrive in parallel, at most `maxFailures` are ever evaluated before the block.
 * When the slots are only taken by attempts still in flight (no block yet), it asks again after a
 * short wait: those attempts end within milliseconds, a success frees the slots and wrong guesses
 * set the block, so a family joining with the right PIN at the same moment is let in, not refused.
 */
export async function reserveAttempt(key: Key, policy: AttemptPolicy, now: Date): Promise<Reservation> {
  for (let attempt = 0; ; attempt++) {
    const reservation = await tryReserve(key, policy, now);
    if (reservation.allowed || reservation.blocked || attempt === CONTENTION_WAITS_MS.length) {
      return reservation.allowed ? reservation : { allowed: false, retryAfterSeconds: reservation.retryAfterSeconds };
    }
    await new Promise((resolve) => setTimeout(resolve, CONTENTION_WAITS_MS[attempt]));
  }
}

async function tryReserve(key: Key, policy: AttemptPolicy, now: Date): Promise<{ allowed: true; slot: AttemptSlot } | { allowed: false; blocked: boolean; retryAfterSeconds: number }> {
  const nowSeconds = epochSeconds(now);
  try {
    const { Attributes } = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: 'SET failures = if_not_exists(failures, :zero) + :one, #ttl = :ttl',
        ConditionExpression:
          '(attribute_not_exists(blockedUntil) OR blockedUntil <= :now) AND (attribute_not_exists(failures) OR failures < :max)',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':zero': 0,
          ':one': 1,
          ':now': nowSeconds,
          ':max': policy.maxFailures,
          ':ttl': nowSeconds + policy.memorySeconds,
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return {
      allowed: true,
      slot: { key, failures: Number(Attributes?.failures), blocks: Number(Attributes?.blocks ?? 0) },
    };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // The low-level exception carries the old item in wire format.
    const blockedUntil = Number(error.Item?.blockedUntil?.N ?? 0);
    const blocks = Number(error.Item?.blocks?.N ?? 0);
    const blocked = blockedUntil > nowSeconds;
    // Not blocked yet means parallel attempts took the last slots and one of them may be setting the block.
    return { allowed: false, blocked, retryAfterSeconds: blocked ? blockedUntil - nowSeconds : lockoutSeconds(policy, blocks) };
  }
}

/** The attempt failed: when it used the last slot, start the next (longer) block. */
export async function recordFailure(slot: AttemptSlot, policy: AttemptPolicy, now: Date): Promise<FailureOutcome> {
  if (slot.failures < policy.maxFailures) return { blocked: false, attemptsLeft: policy.maxFailures - slot.failures };
  const seconds = lockoutSeconds(policy, slot.blocks);
  const blockedUntil = epochSeconds(now) + seconds;
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: slot.key,
        UpdateExpression: 'SET blockedUntil = :until, failures = :zero, #ttl = :ttl ADD blocks :one',
        ConditionExpression: 'failures >= :max',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':until': blockedUntil,
          ':zero': 0,
          ':one': 1,
          ':max': policy.maxFailures,
          ':ttl': blockedUntil + policy.memorySeconds,
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // A success in between reset the count: no block is due.
    return { blocked: false, attemptsLeft: policy.maxFailures };
  }
  return { blocked: true, retryAfterSeconds: seconds };
}

/** The attempt succeeded: the consecutive-failure count starts again (earlier blocks still count). */
export async function recordSuccess(slot: AttemptSlot): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: slot.key,
      UpdateExpression: 'SET failures = :zero',
      ExpressionAttributeValues: { ':zero': 0 },
    }),
  );
}
