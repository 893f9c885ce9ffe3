import { addFailure, readAttemptCounter, startBlock } from '../db/counters';
import type { AttemptCounter } from '../db/counters';
import type { Key } from '../db/keys';
import { epochSeconds } from '../db/time';
import { lockoutSeconds } from './attempt-gate';
import type { AttemptPolicy, FailureOutcome } from './attempt-gate';

/**
 * A lockout that counts failures only: read before the attempt (a block refuses it), counted after a
 * failure. Successes and attempts in flight never count, so a crowd behind one address that knows the
 * secret is never refused; parallel failures can pass the count by the few in flight, which the
 * caller bounds with a limit of its own (the session-wide PIN guard).
 */
export async function checkGate(key: Key, now: Date): Promise<GateCheck> {
  return judgeGate(await readAttemptCounter(key), now);
}

export type GateCheck = { blocked: false } | { blocked: true; retryAfterSeconds: number };

/** The check on a counter as read (for a caller that reads it with other items). */
export function judgeGate({ blockedUntil }: AttemptCounter, now: Date): GateCheck {
  const left = blockedUntil - epochSeconds(now);
  return left > 0 ? { blocked: true, retryAfterSeconds: left } : { blocked: false };
}

/** Counts a failure; the one that reaches `maxFailures` starts the next (longer) block. */
export async function failAtGate(key: Key, policy: AttemptPolicy, now: Date): Promise<FailureOutcome> {
  const ttl = epochSeconds(now) + policy.memorySeconds;
  const { failures, blocks } = await addFailure(key, ttl);
  if (failures < policy.maxFailures) return { blocked: false, attemptsLeft: policy.maxFailures - failures };
  const seconds = lockoutSeconds(policy, blocks);
  const blockedUntil = epochSeconds(now) + seconds;
  await startBlock(key, policy.maxFailures, blockedUntil, blockedUntil + policy.memorySeconds);
  return { blocked: true, retryAfterSeconds: seconds };
}
