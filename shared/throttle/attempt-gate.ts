import { resetFailures, startBlock, takeAttempt } from '../db/counters';
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

export const lockoutSeconds = (policy: AttemptPolicy, blocks: number) =>
  Math.min(policy.lockoutSeconds * 2 ** blocks, policy.maxLockoutSeconds);

/** Waits (ms) before asking again while parallel attempts hold every slot; together well under a second. */
const CONTENTION_WAITS_MS = [25, 50, 100, 200, 400];

/**
 * Asks `tryOnce` again after short, growing waits while its answer says only that attempts still in
 * flight hold the slots (`contended`); its first other answer, or the last one, otherwise.
 */
export async function retryWhileContended<T>(tryOnce: () => Promise<T>, contended: (answer: T) => boolean): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const answer = await tryOnce();
    if (!contended(answer) || attempt === CONTENTION_WAITS_MS.length) return answer;
    await new Promise((resolve) => setTimeout(resolve, CONTENTION_WAITS_MS[attempt]));
  }
}

/**
 * Reserves an attempt with one conditional update: the failure is counted before the secret is
 * checked, and the condition refuses once `maxFailures` are counted or a block holds. So however
 * many attempts arrive in parallel, at most `maxFailures` are ever evaluated before the block.
 * When the slots are only taken by attempts still in flight (no block yet), it asks again after a
 * short wait: those attempts end within milliseconds, a success frees the slots and wrong guesses
 * set the block, so a family joining with the right PIN at the same moment is let in, not refused.
 */
export async function reserveAttempt(key: Key, policy: AttemptPolicy, now: Date): Promise<Reservation> {
  const reservation = await retryWhileContended(
    () => tryReserve(key, policy, now),
    (answer) => !answer.allowed && !answer.blocked,
  );
  return reservation.allowed ? reservation : { allowed: false, retryAfterSeconds: reservation.retryAfterSeconds };
}

async function tryReserve(key: Key, policy: AttemptPolicy, now: Date): Promise<{ allowed: true; slot: AttemptSlot } | { allowed: false; blocked: boolean; retryAfterSeconds: number }> {
  const nowSeconds = epochSeconds(now);
  const taken = await takeAttempt(key, policy.maxFailures, nowSeconds, nowSeconds + policy.memorySeconds);
  if (taken.taken) return { allowed: true, slot: { key, failures: taken.failures, blocks: taken.blocks } };
  const { blockedUntil, blocks } = taken.counter;
  const blocked = blockedUntil > nowSeconds;
  // Not blocked yet means parallel attempts took the last slots and one of them may be setting the block.
  return { allowed: false, blocked, retryAfterSeconds: blocked ? blockedUntil - nowSeconds : lockoutSeconds(policy, blocks) };
}

/** The attempt failed: when it used the last slot, start the next (longer) block. */
export async function recordFailure(slot: AttemptSlot, policy: AttemptPolicy, now: Date): Promise<FailureOutcome> {
  if (slot.failures < policy.maxFailures) return { blocked: false, attemptsLeft: policy.maxFailures - slot.failures };
  const seconds = lockoutSeconds(policy, slot.blocks);
  const blockedUntil = epochSeconds(now) + seconds;
  // A success in between reset the count: no block is due.
  if (!(await startBlock(slot.key, policy.maxFailures, blockedUntil, blockedUntil + policy.memorySeconds))) {
    return { blocked: false, attemptsLeft: policy.maxFailures };
  }
  return { blocked: true, retryAfterSeconds: seconds };
}

/** The attempt succeeded: the consecutive-failure count starts again (earlier blocks still count). */
export const recordSuccess = (slot: AttemptSlot): Promise<void> => resetFailures(slot.key);
