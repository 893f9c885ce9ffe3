import { describe, expect, it } from 'vitest';
import { TransactionCancelledError, named, transactWrite } from '../../shared/db/transact';
import type { ConditionName } from '../../shared/db/transact';

const cancelled = (reasons: [ConditionName, string][]) => new TransactionCancelledError(new Map(reasons));

describe('named transaction conditions', () => {
  it('say which named condition failed, whatever the position', () => {
    const error = cancelled([['order', 'None'], ['orderRef', 'None'], ['cart', 'ConditionalCheckFailed'], ['sessionLive', 'None']]);
    expect(error.failed('cart')).toBe(true);
    expect(error.failed('order')).toBe(false);
    expect(error.failedConditions).toEqual(['cart']);
    expect(error.unexplained).toBe(false);
  });

  it('never take another reason (a conflict that outlasted the retries, a throttle) for a condition', () => {
    const error = cancelled([['order', 'None'], ['cart', 'TransactionConflict'], ['menuItem:01ABC', 'None']]);
    expect(error.failed('cart')).toBe(false);
    expect(error.failedConditions).toEqual([]);
    expect(error.unexplained).toBe(true);
    expect(cancelled([['staff', 'ThrottlingError']]).unexplained).toBe(true);
  });

  it('refuse two items with one name before anything is sent', async () => {
    const item = named('cart', { ConditionCheck: { TableName: 't', Key: { pk: 'a', sk: 'b' }, ConditionExpression: 'attribute_exists(pk)' } });
    await expect(transactWrite([item, item])).rejects.toThrow(/distinct names: cart, cart/);
  });
});
