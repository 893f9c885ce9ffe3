import { describe, expect, it } from 'vitest';
import { checkWindow } from '../../shared/throttle/rate-window';
import { uniqueName } from '../support/restaurant';

const policy = { limit: 5, windowSeconds: 3600 };
const subject = () => {
  const id = uniqueName('ip');
  return (start: number) => ({ pk: `TEST#${id}`, sk: `WINDOW#${start}` });
};
const hour = Date.UTC(2030, 0, 1) / 1000;
const at = (seconds: number) => new Date((hour + seconds) * 1000);

/** Checks, and counts a failure when the check allowed the attempt. */
async function fail(keyFor: ReturnType<typeof subject>, seconds: number) {
  const check = await checkWindow(keyFor, policy, at(seconds));
  if (check.allowed) await check.countFailure();
  return check;
}

describe('rolling-window failure limit (DynamoDB Local)', () => {
  it('refuses once the limit of failures is counted, with the wait until one decays', async () => {
    const keyFor = subject();
    for (let i = 0; i < 5; i++) expect((await fail(keyFor, 10)).allowed).toBe(true);
    const refused = await checkWindow(keyFor, policy, at(10));
    // Nothing in the previous window: free again when this window ends (3590 s) and its weight decays a little.
    expect(refused.allowed ? undefined : refused.retryAfterSeconds).toBe(3590 + Math.ceil(3600 * (1 - 4 / 5)));
  });

  it('never counts attempts that did not fail: 30 checks at once all pass', async () => {
    const keyFor = subject();
    for (let i = 0; i < 4; i++) await fail(keyFor, 0);
    const checks = await Promise.all(Array.from({ length: 30 }, () => checkWindow(keyFor, policy, at(1))));
    expect(checks.every((check) => check.allowed)).toBe(true);
  });

  it('weighs the previous window by its remaining overlap', async () => {
    const keyFor = subject();
    for (let i = 0; i < 5; i++) await fail(keyFor, 100);
    // 30 minutes into the next window, half of the previous 5 still counts: 5 - ceil(2.5) = 2 more allowed.
    const next = [];
    for (let i = 0; i < 3; i++) next.push((await fail(keyFor, 3600 + 1800)).allowed);
    expect(next).toEqual([true, true, false]);
  });
});
