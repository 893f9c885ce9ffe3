import { describe, expect, it } from 'vitest';
import { deriveOrderStatus } from '../../shared/kitchen/line-status';
import { moneyKeys } from '../support/price-free';

const lines = (...statuses: string[]) => statuses.map((status) => ({ status }) as { status: never });

describe('derived order status', () => {
  it.each([
    [['QUEUED', 'QUEUED'], 'PLACED'],
    [['QUEUED', 'CANCELLED'], 'PLACED'],
    [['IN_PROGRESS', 'QUEUED'], 'IN_PROGRESS'],
    [['READY', 'QUEUED'], 'IN_PROGRESS'],
    [['READY', 'READY'], 'READY'],
    [['READY', 'SERVED'], 'READY'],
    [['READY', 'CANCELLED'], 'READY'],
    [['SERVED', 'SERVED'], 'SERVED'],
    [['SERVED', 'CANCELLED'], 'SERVED'],
    [['CANCELLED', 'CANCELLED'], 'CANCELLED'],
  ])('lines %j → %s', (statuses, expected) => {
    expect(deriveOrderStatus(lines(...statuses))).toBe(expected);
  });
});

describe('the price-free scan', () => {
  it('finds money keys at any depth, and none in a clean payload', () => {
    expect(moneyKeys({ a: [{ b: { unitPriceCents: 1 } }], totalCents: 2, amount: 3 })).toEqual([
      '$.a[0].b.unitPriceCents',
      '$.totalCents',
      '$.amount',
    ]);
    expect(moneyKeys({ tickets: [{ lines: [{ name: 'x', quantity: 1 }] }] })).toEqual([]);
  });
});
