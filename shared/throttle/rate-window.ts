import { countInWindow, uncountInWindow, windowCount } from '../db/counters';
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
  const previous = await windowCount(keyFor(start - w));
  const allowed = policy.limit - Math.ceil(previous * (1 - elapsed / w));
  const key = keyFor(start);
  const counted = await countInWindow(key, allowed, start + 2 * w);
  return counted.counted
    ? { allowed: true, key }
    : { allowed: false, retryAfterSeconds: windowRetryAfter(policy, previous, counted.current, elapsed) };
}

/** Takes back a reservation that turned out not to count (the attempt succeeded). */
export const releaseInWindow = (key: Key): Promise<void> => uncountInWindow(key);
