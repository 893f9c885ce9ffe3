import { describe, expect, it } from 'vitest';
import { windowRetryAfter } from '../../shared/throttle/rate-window';

const policy = { limit: 50, windowSeconds: 3600 };

/** Brute force: the first second at which a reservation would pass, by the same weighting rule. */
function firstAllowedSecond(previous: number, current: number, elapsed: number): number {
  for (let t = 1; t < 3 * 3600; t++) {
    const e = elapsed + t;
    const [prev, curr, inWindow] = e < 3600 ? [previous, current, e] : [current, 0, e - 3600];
    if (curr < policy.limit - Math.ceil(prev * (1 - inWindow / 3600))) return t;
  }
  throw new Error('never');
}

describe('sliding-window Retry-After', () => {
  it.each([
    [0, 50, 0],
    [0, 50, 1800],
    [50, 0, 0],
    [50, 10, 900],
    [40, 20, 100],
    [100, 50, 3599],
    [60, 49, 10],
  ])('previous %i, current %i, %i s into the window: matches the first second that would pass', (previous, current, elapsed) => {
    const retryAfter = windowRetryAfter(policy, previous, current, elapsed);
    const exact = firstAllowedSecond(previous, current, elapsed);
    expect(retryAfter).toBeGreaterThanOrEqual(exact);
    expect(retryAfter - exact).toBeLessThanOrEqual(1);
  });
});
