import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../lib/local/lambda-context';
import { addLine, getCart } from '../../shared/cart/cart';
import { db, tableName } from '../../shared/db/client';
import { listSessionOrders } from '../../shared/db/orders';
import { TransactionCancelledError, transactWrite } from '../../shared/db/transact';
import { createMenuItem, updateMenuItem } from '../../shared/menu/menu';
import { CreateMenuItemBody } from '../../shared/contract/requests';
import { getOrderForGuest, listOrders } from '../../shared/orders/orders';
import { measureDynamoDb } from '../../shared/observability/dynamodb-usage';
import type { DynamoDbUsage } from '../../shared/observability/dynamodb-usage';
import { createOrderPlacer } from '../../shared/orders/place-order';
import { closeSession } from '../../shared/sessions/sessions';
import { diningTable, newKey } from '../support/dining';

const placeOrder = createOrderPlacer();
const context = () => lambdaContext('place-order', `req-${Math.random()}`);
/** Runs `work` and returns its result with the DynamoDB round trips it made. */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; usage: DynamoDbUsage }> {
  let usage: DynamoDbUsage | undefined;
  const result = await measureDynamoDb(work, (u) => (usage = u));
  return { result, usage: usage as DynamoDbUsage };
}
const settle = <T>(promise: Promise<T>) => promise.then((value) => ({ ok: true as const, value }), (error: { code?: string; status?: number }) => ({ ok: false as const, error }));

describe('placing an order (DynamoDB Local)', () => {
  it('makes exactly one order from 40 concurrent requests with one key', async () => {
    const { guest, burger } = await diningTable();
    const phone = await guest();
    const cart = await addLine(phone, { itemId: burger.itemId, quantity: 2 }, new Date());
    const key = newKey();

    const results = await Promise.all(Array.from({ length: 40 }, () => settle(placeOrder(phone, { idempotencyKey: key, cartVersion: cart.version }, context()))));

    const orders = await listSessionOrders(phone.sessionId);
    expect(orders).toHaveLength(1);
    const successes = results.flatMap((r) => (r.ok ? [r.value] : []));
    expect(successes.filter((s) => !s.replayed)).toHaveLength(1);
    for (const success of successes) expect(success.order).toMatchObject({ orderId: orders[0]?.orderId, status: 'PLACED' });
    for (const failure of results.flatMap((r) => (r.ok ? [] : [r.error]))) {
      expect(failure).toMatchObject({ status: 409, code: 'IDEMPOTENCY_IN_PROGRESS' });
    }
  });

  it('replays the first result; refuses the same key for a different request; scopes keys to the session', async () => {
    const first = await diningTable();
    const phone = await first.guest();
    const cart = await addLine(phone, { itemId: first.burger.itemId, quantity: 1 }, new Date());
    const key = newKey();
    const placed = await placeOrder(phone, { idempotencyKey: key, cartVersion: cart.version }, context());
    const replay = await placeOrder(phone, { idempotencyKey: key, cartVersion: cart.version }, context());
    expect(placed.replayed).toBe(false);
    expect(replay).toEqual({ order: placed.order, replayed: true });

    await expect(placeOrder(phone, { idempotencyKey: key, cartVersion: cart.version + 1 }, context())).rejects.toMatchObject({
      status: 422,
      code: 'IDEMPOTENCY_KEY_REUSED',
    });

    const second = await diningTable();
    const other = await second.guest();
    const otherCart = await addLine(other, { itemId: second.burger.itemId, quantity: 1 }, new Date());
    const elsewhere = await placeOrder(other, { idempotencyKey: key, cartVersion: otherCart.version }, context());
    expect(elsewhere.replayed).toBe(false);
    expect(elsewhere.order.orderId).not.toBe(placed.order.orderId);
    expect(await listSessionOrders(other.sessionId)).toHaveLength(1);
  });

  it('lets one of two FAMILY phones placing the same cart at once win; every line is ordered once', async () => {
    const { guest, burger, fries } = await diningTable('FAMILY');
    const [phoneA, phoneB] = [await guest('A'), await guest('B')];
    await addLine(phoneA, { itemId: burger.itemId, quantity: 1 }, new Date());
    const cart = await addLine(phoneB, { itemId: fries.itemId, quantity: 3 }, new Date());

    const results = await Promise.all([
      settle(placeOrder(phoneA, { idempotencyKey: newKey(), cartVersion: cart.version }, context())),
      settle(placeOrder(phoneB, { idempotencyKey: newKey(), cartVersion: cart.version }, context())),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const loser = results.find((r) => !r.ok);
    expect(['CART_CHANGED', 'CART_EMPTY']).toContain(loser && !loser.ok && loser.error.code);
    const orders = await listSessionOrders(phoneA.sessionId);
    expect(orders).toHaveLength(1);
    expect(orders[0]?.lines.map((line) => [line.name, line.quantity])).toEqual([['Burger', 1], ['Fries', 3]]);
    expect((await getCart(phoneA)).lines).toEqual([]);
  });

  it('refuses a stale version, an empty cart and an 86ed dish, leaving the cart as it was', async () => {
    const { guest, burger, fries, owner } = await diningTable();
    const phone = await guest();
    await expect(placeOrder(phone, { idempotencyKey: newKey(), cartVersion: 0 }, context())).rejects.toMatchObject({ code: 'CART_EMPTY' });

    await addLine(phone, { itemId: burger.itemId, quantity: 1 }, new Date());
    const cart = await addLine(phone, { itemId: fries.itemId, quantity: 1 }, new Date());
    await expect(placeOrder(phone, { idempotencyKey: newKey(), cartVersion: cart.version - 1 }, context())).rejects.toMatchObject({
      code: 'CART_CHANGED',
      details: { currentVersion: cart.version },
    });

    await updateMenuItem(owner, fries.itemId, { available: false }, new Date());
    await expect(placeOrder(phone, { idempotencyKey: newKey(), cartVersion: cart.version }, context())).rejects.toMatchObject({
      code: 'ITEM_UNAVAILABLE',
      details: { itemIds: [fries.itemId] },
    });
    expect(await getCart(phone)).toEqual(cart);
    expect(await listSessionOrders(phone.sessionId)).toEqual([]);
  });

  it('charges the price at placement, not the price when the line was added', async () => {
    const { guest, burger, owner } = await diningTable();
    const phone = await guest();
    const cart = await addLine(phone, { itemId: burger.itemId, quantity: 2 }, new Date());
    expect(cart.totalCents).toBe(3300);
    await updateMenuItem(owner, burger.itemId, { priceCents: 1800 }, new Date());

    const { order } = await placeOrder(phone, { idempotencyKey: newKey(), cartVersion: cart.version }, context());
    expect(order.lines[0]).toMatchObject({ unitPriceCents: 1800, quantity: 2 });
    expect(order.totalCents).toBe(3600);
  });

  it('places in five named round trips, pricing from the cart lines while the menu is unchanged', async () => {
    const { guest, burger, fries } = await diningTable();
    const phone = await guest();
    await addLine(phone, { itemId: burger.itemId, quantity: 2 }, new Date());
    const cart = await addLine(phone, { itemId: fries.itemId, quantity: 1 }, new Date());

    const { result, usage } = await measured(() => placeOrder(phone, { idempotencyKey: newKey(), cartVersion: cart.version }, context()));

    expect(result.order.totalCents).toBe(2 * 1650 + 450);
    // Idempotency record, session + cart + order + table, ticket number, the transaction, the record completed.
    expect(usage.calls.map((call) => call.operation)).toEqual(['PutItem', 'BatchGetItem', 'UpdateItem', 'TransactWriteItems', 'UpdateItem']);
    expect(usage.readUnits).toBeGreaterThan(0);
    expect(usage.writeUnits).toBeGreaterThan(usage.readUnits);
  });

  it('reads the menu and orders at its values when a dish changed after it went into the cart', async () => {
    const { guest, burger, owner } = await diningTable();
    const phone = await guest();
    const cart = await addLine(phone, { itemId: burger.itemId, quantity: 1 }, new Date());
    await updateMenuItem(owner, burger.itemId, { name: 'Smash Burger', station: 'FLAT_TOP' }, new Date());

    const { result, usage } = await measured(() => placeOrder(phone, { idempotencyKey: newKey(), cartVersion: cart.version }, context()));

    const orders = await listSessionOrders(phone.sessionId);
    expect(orders[0]?.lines[0]).toMatchObject({ name: 'Smash Burger', station: 'FLAT_TOP', unitPriceCents: 1650 });
    expect(result.order.lines[0]).toMatchObject({ name: 'Smash Burger' });
    expect(usage.calls.map((call) => call.operation)).toEqual([
      'PutItem',
      'BatchGetItem',
      'UpdateItem',
      'TransactWriteItems', // refused: the burger's revision moved on
      'BatchGetItem', // the menu as it is now
      'TransactWriteItems',
      'UpdateItem',
    ]);
  });

  it("charges an option at the menu's price at placement with one extra read, and refuses one made unavailable, writing nothing", async () => {
    const { guest, owner } = await diningTable();
    const group = { groupId: 'extras', name: 'Extras', minSelected: 0, maxSelected: 1, options: [{ optionId: 'cheese', name: 'Extra cheese', priceDeltaCents: 150, available: true }] };
    const burger = await createMenuItem(owner, CreateMenuItemBody.parse({ name: 'Cheeseburger', category: 'Mains', priceCents: 1650, station: 'GRILL', optionGroups: [group] }), new Date());
    const phone = await guest();
    const options = [{ groupId: 'extras', optionIds: ['cheese'] }];
    const cart = await addLine(phone, { itemId: burger.itemId, quantity: 2, options }, new Date());
    expect(cart.lines[0]?.unitPriceCents).toBe(1800);
    await updateMenuItem(owner, burger.itemId, { optionGroups: [{ ...group, options: [{ ...group.options[0]!, priceDeltaCents: 200 }] }] }, new Date());

    const { result, usage } = await measured(() => placeOrder(phone, { idempotencyKey: newKey(), cartVersion: cart.version }, context()));
    expect(result.order.lines[0]).toMatchObject({ unitPriceCents: 1850, options: [expect.objectContaining({ name: 'Extra cheese', priceDeltaCents: 200 })] });
    expect(result.order.totalCents).toBe(3700);
    expect(usage.calls.filter((call) => call.operation === 'BatchGetItem')).toHaveLength(2); // the placement's, and the menu once
    expect(usage.calls.filter((call) => call.operation === 'TransactWriteItems')).toHaveLength(2);

    const again = await addLine(phone, { itemId: burger.itemId, quantity: 1, options }, new Date());
    await updateMenuItem(owner, burger.itemId, { optionGroups: [{ ...group, options: [{ ...group.options[0]!, available: false }] }] }, new Date());
    const refused = await placeOrder(phone, { idempotencyKey: newKey(), cartVersion: again.version }, context()).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 409, code: 'OPTION_UNAVAILABLE', details: { optionIds: ['cheese'] } });
    expect(await listSessionOrders(phone.sessionId)).toHaveLength(1);
    expect((await getCart(phone)).lines).toHaveLength(1);
  });

  it('keeps one condition per dish in the transaction, whatever the options of its lines', async () => {
    const { guest, burger } = await diningTable();
    const phone = await guest();
    await addLine(phone, { itemId: burger.itemId, quantity: 1 }, new Date());
    const cart = await addLine(phone, { itemId: burger.itemId, quantity: 2, notes: 'no onions' }, new Date());
    const written: unknown[][] = [];
    const watching = createOrderPlacer({ transactWrite: async (items) => {
      written.push(items.map((item) => item.name));
      return transactWrite(items);
    } });
    await watching(phone, { idempotencyKey: newKey(), cartVersion: cart.version }, context());
    expect(written[0]?.filter((name) => String(name).startsWith('menuItem:'))).toEqual([`menuItem:${burger.itemId}`]);
  });

  it('does not take a cancellation for an unknown reason for a changed dish: the cart stays, nothing is ordered', async () => {
    const { guest, burger } = await diningTable();
    const phone = await guest();
    const cart = await addLine(phone, { itemId: burger.itemId, quantity: 1 }, new Date());
    let attempts = 0;
    const conflicted = createOrderPlacer({
      transactWrite: async (items) => {
        attempts++;
        throw new TransactionCancelledError(new Map(items.map((item) => [item.name, item.name === 'cart' ? 'TransactionConflict' : 'None'])));
      },
    });

    await expect(conflicted(phone, { idempotencyKey: newKey(), cartVersion: cart.version }, context())).rejects.toBeInstanceOf(TransactionCancelledError);
    expect(attempts).toBe(1); // no re-read of the menu and retry, as for a changed dish
    expect(await getCart(phone)).toEqual(cart);
  });

  it('recovers when the transaction fails after the idempotency record was taken', async () => {
    const { guest, burger } = await diningTable();
    const phone = await guest();
    const cart = await addLine(phone, { itemId: burger.itemId, quantity: 1 }, new Date());
    let failures = 0;
    const flaky = createOrderPlacer({
      transactWrite: async (items) => {
        if (failures++ === 0) throw new Error('injected: connection reset');
        return transactWrite(items);
      },
    });
    const key = newKey();

    await expect(flaky(phone, { idempotencyKey: key, cartVersion: cart.version }, context())).rejects.toThrow('injected');
    expect(await getCart(phone)).toEqual(cart);
    const retried = await flaky(phone, { idempotencyKey: key, cartVersion: cart.version }, context());
    expect(retried.replayed).toBe(false);
    expect(await listSessionOrders(phone.sessionId)).toHaveLength(1);
  });

  it('makes no second order even when the idempotency record is lost', async () => {
    const { guest, burger } = await diningTable();
    const phone = await guest();
    const cart = await addLine(phone, { itemId: burger.itemId, quantity: 1 }, new Date());
    const key = newKey();
    const placed = await placeOrder(phone, { idempotencyKey: key, cartVersion: cart.version }, context());

    const records: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await db().send(
        new ScanCommand({ TableName: tableName(), FilterExpression: 'begins_with(pk, :prefix)', ExpressionAttributeValues: { ':prefix': 'IDEMPOTENCY#' }, ExclusiveStartKey: startKey }),
      );
      records.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const ours = records.filter((item) => JSON.stringify(item).includes(placed.order.orderId));
    expect(ours).toHaveLength(1);
    // Each record has a partition of its own: no key every restaurant's placements share.
    expect(ours[0]?.sk).toBe('IDEMPOTENCY');
    expect(new Set(records.map((item) => item.pk)).size).toBe(records.length);
    await db().send(new DeleteCommand({ TableName: tableName(), Key: { pk: ours[0]?.pk, sk: ours[0]?.sk } }));

    const again = await placeOrder(phone, { idempotencyKey: key, cartVersion: cart.version }, context());
    expect(again.order).toEqual(placed.order);
    expect(await listSessionOrders(phone.sessionId)).toHaveLength(1);
  });

  describe('when the placement function dies mid-way and the phone retries with the same key', () => {
    /** A placement that never returns from its transaction (the instance died there), applied or not; its record stays INPROGRESS until the invocation's time is up. */
    async function diesInTransaction(applied: boolean) {
      const { guest, burger } = await diningTable();
      const phone = await guest();
      const cart = await addLine(phone, { itemId: burger.itemId, quantity: 1 }, new Date());
      const request = { idempotencyKey: newKey(), cartVersion: cart.version };
      let reached: () => void = () => undefined;
      const inTransaction = new Promise<void>((resolve) => (reached = resolve));
      const dying = createOrderPlacer({
        transactWrite: async (items) => {
          if (applied) await transactWrite(items);
          reached();
          return new Promise<never>(() => undefined);
        },
      });
      // One second left in the dying invocation: its in-progress record expires with it.
      void dying(phone, request, lambdaContext('place-order', 'dies', 1000));
      await inTransaction;
      return { phone, cart, request };
    }

    it('after the idempotency record, before the transaction: "in progress" until that invocation would have timed out, then one order', async () => {
      const { phone, cart, request } = await diesInTransaction(false);
      await expect(placeOrder(phone, request, context())).rejects.toMatchObject({ status: 409, code: 'IDEMPOTENCY_IN_PROGRESS' });
      expect(await getCart(phone)).toEqual(cart);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const placed = await placeOrder(phone, request, context());
      expect(placed.replayed).toBe(false);
      expect(await listSessionOrders(phone.sessionId)).toHaveLength(1);
      expect((await getCart(phone)).lines).toEqual([]);
    });

    it('after the transaction, before the answer: the retry answers the order that was made, and makes no second', async () => {
      const { phone, request } = await diesInTransaction(true);
      const [made] = await listSessionOrders(phone.sessionId);
      expect(made).toBeDefined();
      await expect(placeOrder(phone, request, context())).rejects.toMatchObject({ status: 409, code: 'IDEMPOTENCY_IN_PROGRESS' });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const placed = await placeOrder(phone, request, context());
      expect(placed.order.orderId).toBe(made?.orderId);
      expect(await listSessionOrders(phone.sessionId)).toHaveLength(1);
      expect(await placeOrder(phone, request, context())).toEqual({ order: placed.order, replayed: true });
    });
  });

  it('keeps INDIVIDUAL carts and orders private to their guest', async () => {
    const { guest, burger, fries } = await diningTable('INDIVIDUAL');
    const [ada, bob] = [await guest('Ada'), await guest('Bob')];
    const adaCart = await addLine(ada, { itemId: burger.itemId, quantity: 1 }, new Date());
    await addLine(bob, { itemId: fries.itemId, quantity: 1 }, new Date());
    expect((await getCart(bob)).lines.map((line) => line.itemId)).toEqual([fries.itemId]);

    const { order } = await placeOrder(ada, { idempotencyKey: newKey(), cartVersion: adaCart.version }, context());
    expect(await listOrders(bob)).toEqual([]);
    await expect(getOrderForGuest(bob, order.orderId)).rejects.toMatchObject({ status: 404 });
    expect(await listOrders(ada)).toEqual([order]);
    expect((await getCart(bob)).lines).toHaveLength(1);
  });

  it('refuses to order in a closed session', async () => {
    const { guest, burger, owner, session } = await diningTable();
    const phone = await guest();
    const cart = await addLine(phone, { itemId: burger.itemId, quantity: 1 }, new Date());
    await closeSession(owner, session.sessionId, new Date());
    await expect(placeOrder(phone, { idempotencyKey: newKey(), cartVersion: cart.version }, context())).rejects.toMatchObject({
      status: 401,
      code: 'SESSION_CLOSED',
    });
  });

  it('gives distinct ticket numbers to orders placed at once in one restaurant', async () => {
    const { guest, burger } = await diningTable('INDIVIDUAL');
    const phones = await Promise.all(Array.from({ length: 6 }, () => guest()));
    const carts = await Promise.all(phones.map((phone) => addLine(phone, { itemId: burger.itemId, quantity: 1 }, new Date())));
    const placed = await Promise.all(phones.map((phone, i) => placeOrder(phone, { idempotencyKey: newKey(), cartVersion: carts[i]?.version ?? 0 }, context())));
    const numbers = placed.map((p) => p.order.number);
    expect(new Set(numbers).size).toBe(6);
  });
});
