import { describe, expect, it } from 'vitest';
import { recordFailure, recordSuccess, reserveAttempt } from '../../shared/throttle/attempt-gate';
import type { AttemptPolicy, AttemptSlot } from '../../shared/throttle/attempt-gate';
import { uniqueName } from '../support/restaurant';

const policy: AttemptPolicy = { maxFailures: 5, lockoutSeconds: 900, maxLockoutSeconds: 3600, memorySeconds: 86_400 };
const key = () => ({ pk: `TEST#${uniqueName('gate')}`, sk: 'ATTEMPTS' });
const at = (seconds: number) => new Date(Date.UTC(2030, 0, 1) + seconds * 1000);

async function fail(gateKey: { pk: string; sk: string }, now: Date) {
  const reservation = await reserveAttempt(gateKey, policy, now);
  if (!reservation.allowed) return reservation;
  return recordFailure(reservation.slot, policy, now);
}

describe('attempt gate (DynamoDB Local)', () => {
  it('lets at most maxFailures of 30 parallel attempts through before the block', async () => {
    const gateKey = key();
    const reservations = await Promise.all(Array.from({ length: 30 }, () => reserveAttempt(gateKey, policy, at(0))));
    const allowed = reservations.filter((r) => r.allowed);
    expect(allowed).toHaveLength(5);
    expect(reservations.filter((r) => !r.allowed).every((r) => !r.allowed && r.retryAfterSeconds === 900)).toBe(true);
  });

  it('lets 12 parallel attempts with the right secret in: waiting ones get the slots that successes free', async () => {
    const gateKey = key();
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const reservation = await reserveAttempt(gateKey, policy, at(0));
        if (reservation.allowed) await recordSuccess(reservation.slot);
        return reservation.allowed;
      }),
    );
    expect(outcomes.every(Boolean)).toBe(true);
  });

  it('still evaluates only maxFailures of 30 parallel wrong guesses: the waiting ones meet the block', async () => {
    const gateKey = key();
    const reservations = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const reservation = await reserveAttempt(gateKey, policy, at(0));
        if (reservation.allowed) await recordFailure(reservation.slot, policy, at(0));
        return reservation;
      }),
    );
    expect(reservations.filter((r) => r.allowed)).toHaveLength(5);
    expect(reservations.filter((r) => !r.allowed).every((r) => !r.allowed && r.retryAfterSeconds > 0)).toBe(true);
  });

  it('counts down attempts, then blocks for the lockout, then lets attempts through again', async () => {
    const gateKey = key();
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await fail(gateKey, at(i)));
    expect(outcomes.slice(0, 4)).toEqual([1, 2, 3, 4].map((n) => ({ blocked: false, attemptsLeft: 5 - n })));
    expect(outcomes[4]).toEqual({ blocked: true, retryAfterSeconds: 900 });

    expect(await reserveAttempt(gateKey, policy, at(104))).toEqual({ allowed: false, retryAfterSeconds: 800 });
    expect((await reserveAttempt(gateKey, policy, at(4 + 900))).allowed).toBe(true);
  });

  it('doubles each further block up to the cap', async () => {
    const gateKey = key();
    let now = 0;
    const blocks: number[] = [];
    for (let round = 0; round < 4; round++) {
      let outcome;
      for (let i = 0; i < 5; i++) outcome = await fail(gateKey, at(now));
      if (!outcome || !('blocked' in outcome) || !outcome.blocked) throw new Error('expected a block');
      blocks.push(outcome.retryAfterSeconds);
      now += outcome.retryAfterSeconds;
    }
    expect(blocks).toEqual([900, 1800, 3600, 3600]);
  });

  it('starts counting again after a success', async () => {
    const gateKey = key();
    for (let i = 0; i < 4; i++) await fail(gateKey, at(i));
    const reservation = await reserveAttempt(gateKey, policy, at(5));
    if (!reservation.allowed) throw new Error('expected a slot');
    await recordSuccess(reservation.slot);

    const next = await reserveAttempt(gateKey, policy, at(6));
    expect(next.allowed && (next.slot as AttemptSlot).failures).toBe(1);
  });
});
