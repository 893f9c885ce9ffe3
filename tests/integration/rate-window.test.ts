import { describe, expect, it } from 'vitest';
import { releaseInWindow, reserveInWindow } from '../../shared/throttle/rate-window';
import { uniqueName } from '../support/restaurant';

const policy = { limit: 5, windowSeconds: 3600 };
const subject = () => {
  const id = uniqueName('ip');
  return (start: number) => ({ pk: `TEST#${id}`, sk: `WINDOW#${start}` });
};
const hour = Date.UTC(2030, 0, 1) / 1000;
const at = (seconds: number) => new Date((hour + seconds) * 1000);

describe('rolling-window limit (DynamoDB Local)', () => {
  it('lets exactly the limit through when 30 requests arrive at once', async () => {
    const keyFor = subject();
    const results = await Promise.all(Array.from({ length: 30 }, () => reserveInWindow(keyFor, policy, at(10))));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    const refused = results.find((r) => !r.allowed);
    // Nothing in the previous window: free again when this window ends (3590 s) and its weight decays a little.
    expect(refused && !refused.allowed && refused.retryAfterSeconds).toBe(3590 + Math.ceil(3600 * (1 - 4 / 5)));
  });

  it("weighs the previous window by its remaining overlap", async () => {
    const keyFor = subject();
    for (let i = 0; i < 5; i++) expect((await reserveInWindow(keyFor, policy, at(100))).allowed).toBe(true);
    // 30 minutes into the next window, half of the previous 5 still counts: 5 - ceil(2.5) = 2 more allowed.
    const next = [];
    for (let i = 0; i < 3; i++) next.push((await reserveInWindow(keyFor, policy, at(3600 + 1800))).allowed);
    expect(next).toEqual([true, true, false]);
  });

  it('gives a released reservation back', async () => {
    const keyFor = subject();
    const reservations = [];
    for (let i = 0; i < 5; i++) reservations.push(await reserveInWindow(keyFor, policy, at(0)));
    expect((await reserveInWindow(keyFor, policy, at(1))).allowed).toBe(false);
    const first = reservations[0];
    if (!first?.allowed) throw new Error('expected a reservation');
    await releaseInWindow(first.key);
    expect((await reserveInWindow(keyFor, policy, at(2))).allowed).toBe(true);
  });
});
