import { addToWindow, windowCount } from '../db/counters';
import type { Key } from '../db/keys';
import { epochSeconds } from '../db/time';

/**
 * A rolling-window limit ("at most `limit` per `windowSeconds`") as a sliding-window counter: one
 * counter item per fixed window, and the previous window's count weighted by how much of it still
 * overlaps the rolling window. The counter items expire by TTL.
 */
export interface WindowPolicy {
  limit: number;
  windowSeconds: number;
}

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

/** The window allows more failures (and how to count one), or says how long to wait. */
export type WindowCheck = { allowed: true; countFailure: () => Promise<void> } | { allowed: false; retryAfterSeconds: number };

/**
 * Checks a failure limit before an attempt, without counting the attempt: only a failure is
 * counted, afterwards, so successes and attempts still in flight never use the limit up.
 */
export async function checkWindow(keyFor: (windowStart: number) => Key, policy: WindowPolicy, now: Date): Promise<WindowCheck> {
  const window = windowKeys(keyFor, policy, now);
  const [previous, current] = await Promise.all([windowCount(window.previous), windowCount(window.current)]);
  return judgeWindow(window, previous, current);
}

/** The two counter items a check reads (the previous and the current fixed window), for a caller that reads them with others. */
export function windowKeys(keyFor: (windowStart: number) => Key, policy: WindowPolicy, now: Date) {
  const w = policy.windowSeconds;
  const nowSeconds = epochSeconds(now);
  const start = Math.floor(nowSeconds / w) * w;
  return { previous: keyFor(start - w), current: keyFor(start), start, elapsed: nowSeconds - start, policy };
}

/** The check on the two windows' counts as read. */
export function judgeWindow(window: ReturnType<typeof windowKeys>, previous: number, current: number): WindowCheck {
  const { policy, start, elapsed, current: currentKey } = window;
  const w = policy.windowSeconds;
  if (current + Math.ceil(previous * (1 - elapsed / w)) < policy.limit) {
    return { allowed: true, countFailure: () => addToWindow(currentKey, start + 2 * w) };
  }
  return { allowed: false, retryAfterSeconds: windowRetryAfter(policy, previous, current, elapsed) };
}
