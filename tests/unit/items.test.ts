import { describe, expect, it } from 'vitest';
import { toCart } from '../../shared/db/carts';
import { toMenuItem } from '../../shared/db/menu';
import { toOrder } from '../../shared/db/orders';
import { toSession } from '../../shared/db/sessions';

const keysOf = { pk: 'P', sk: 'S', type: 'X', gsi1pk: 'G', gsi1sk: 'H', ttl: 1 };

describe('items read back from the table', () => {
  it('drop the keys, fill what older items lack, and keep what they have', () => {
    const item = toMenuItem({
      ...keysOf,
      restaurantId: 'r1',
      itemId: 'i1',
      name: 'Soup',
      category: 'Starters',
      priceCents: 650,
      station: 'COLD',
      available: true,
      createdAt: '2026-11-23T10:00:00.000Z',
      updatedAt: '2026-11-23T10:00:00.000Z',
    });
    expect(item).toEqual({
      restaurantId: 'r1',
      itemId: 'i1',
      name: 'Soup',
      description: null,
      category: 'Starters',
      priceCents: 650,
      station: 'COLD',
      available: true,
      allergens: [],
      dietary: [],
      course: 0,
      prepMinutes: null,
      kitchenName: null,
      optionGroups: [],
      translations: {},
      availableAgainAt: null,
      createdAt: '2026-11-23T10:00:00.000Z',
      updatedAt: '2026-11-23T10:00:00.000Z',
      revision: 0,
    });
  });

  it('turn a cart\'s line map into lines in the order they were added', () => {
    const line = (lineId: string) => ({ lineId, itemId: 'i1', name: 'Soup', quantity: 1, unitPriceCents: 650, notes: null, addedBy: 'g1', addedAt: 'now' });
    const cart = toCart({ ...keysOf, sessionId: 's1', owner: 'FAMILY', version: 3, lines: { '02B': line('02B'), '01A': line('01A') } });
    expect(cart.lines.map((l) => l.lineId)).toEqual(['01A', '02B']);
    expect(toCart({ sessionId: 's1', owner: 'FAMILY', version: 0 }).lines).toEqual([]);
  });

  it('refuse a malformed item instead of passing it on', () => {
    const order = {
      orderId: 'o1', sessionId: 's1', restaurantId: 'r1', tableId: 't1', tableName: 'T1', number: 7, status: 'PLACED',
      placedAt: 'now', placedBy: 'g1', totalCents: 650,
      lines: [{ lineId: 'l1', itemId: 'i1', name: 'Soup', quantity: 1, unitPriceCents: 650, notes: null, station: 'COLD', allergens: [], status: 'QUEUED', updatedAt: 'now' }],
    };
    expect(toOrder(order).revision).toBe(0);
    expect(() => toOrder({ ...order, status: 'LOST' })).toThrow();
    expect(() => toOrder({ ...order, lines: [{ ...order.lines[0], quantity: '1' }] })).toThrow();
    expect(() => toSession({ sessionId: 's1', restaurantId: 'r1', tableId: 't1', mode: 'SHARED', status: 'OPEN' })).toThrow();
  });
});
