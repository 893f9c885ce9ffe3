import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './support/http';
import { startRuntime } from './support/local-runtime';
import type { RunningRuntime } from './support/local-runtime';
import { staffFixtures } from './support/staff';
import type { TestRestaurant } from './support/staff';

let runtime: RunningRuntime;
const { api, createRestaurantWithCli } = staffFixtures(() => runtime);
let restaurant: TestRestaurant;
let burger: string;
let fries: string;
let soldOut: string;

beforeAll(async () => {
  runtime = await startRuntime();
  restaurant = await createRestaurantWithCli('Order Bistro');
  const dish = async (name: string, priceCents: number, available = true) => {
    const response = await api('POST', `/v1/restaurants/${restaurant.restaurantId}/menu/items`, {
      token: restaurant.ownerToken,
      body: { name, category: 'Mains', priceCents, station: 'GRILL', available },
    });
    return response.body.itemId as string;
  };
  [burger, fries, soldOut] = [await dish('Burger', 1650), await dish('Fries', 450), await dish('Lobster', 4200, false)];
});

afterAll(async () => {
  await runtime?.stop();
});

let ip = 0;
/** Opens a session on a new table and returns a function that joins it as a new phone. */
async function openTable(mode: 'FAMILY' | 'INDIVIDUAL') {
  const table = await api('POST', `/v1/restaurants/${restaurant.restaurantId}/tables`, { token: restaurant.ownerToken, body: { name: 'T' } });
  const session = await api('POST', `/v1/restaurants/${restaurant.restaurantId}/tables/${table.body.tableId}/sessions`, {
    token: restaurant.ownerToken,
    body: { mode },
  });
  const phone = async (guestName?: string) => {
    const joined = await api('POST', '/v1/sessions/join', {
      body: { tableCode: table.body.tableCode, pin: session.body.pin, guestName },
      ip: `203.0.113.${++ip % 250}`,
    });
    expect(joined.status).toBe(201);
    return joined.body as { token: string; guestId: string; sessionId: string };
  };
  return { sessionId: session.body.sessionId as string, phone };
}

const add = (token: string, itemId: string, quantity = 1, notes?: string) => api('POST', '/v1/cart/lines', { token, body: { itemId, quantity, notes } });
const place = (token: string, cartVersion: number, key: string | null = randomUUID()) =>
  api('POST', '/v1/orders', { token, body: { cartVersion }, headers: key === null ? {} : { 'idempotency-key': key } });

describe('cart', () => {
  it('adds lines at the menu price and computes totals on the server', async () => {
    const { phone } = await openTable('FAMILY');
    const { token, guestId } = await phone('Ada');
    const added = await add(token, burger, 2, 'no onions');
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      version: 1,
      lines: [{ lineId: expect.any(String), itemId: burger, name: 'Burger', quantity: 2, unitPriceCents: 1650, notes: 'no onions', options: [], lineTotalCents: 3300, addedBy: guestId }],
      totalCents: 3300,
    });
    const withFries = await add(token, fries, 3);
    expect(withFries.body.totalCents).toBe(3300 + 1350);

    const lineId = added.body.lines[0].lineId;
    const patched = await api('PATCH', `/v1/cart/lines/${lineId}`, { token, body: { quantity: 1 } });
    expect(patched.body).toMatchObject({ version: 3, totalCents: 1650 + 1350 });
    const removed = await api('PATCH', `/v1/cart/lines/${lineId}`, { token, body: { quantity: 0 } });
    expect(removed.body.lines.map((l: { itemId: string }) => l.itemId)).toEqual([fries]);
    const deleted = await api('DELETE', `/v1/cart/lines/${removed.body.lines[0].lineId}`, { token });
    expect(deleted.body).toEqual({ version: 5, lines: [], totalCents: 0 });
    expect((await api('GET', '/v1/cart', { token })).body).toEqual(deleted.body);
  });

  it('refuses client prices, bad quantities and notes, unknown and unavailable items', async () => {
    const { phone } = await openTable('FAMILY');
    const { token } = await phone();
    const refusals: [unknown, number, string][] = [
      [{ itemId: burger, quantity: 1, unitPriceCents: 1 }, 400, 'VALIDATION_FAILED'],
      [{ itemId: burger, quantity: 0 }, 400, 'VALIDATION_FAILED'],
      [{ itemId: burger, quantity: 51 }, 400, 'VALIDATION_FAILED'],
      [{ itemId: burger, quantity: 1.5 }, 400, 'VALIDATION_FAILED'],
      [{ itemId: burger, quantity: 1, notes: 'x'.repeat(201) }, 400, 'VALIDATION_FAILED'],
      [{ itemId: '01NOSUCHITEM', quantity: 1 }, 404, 'NOT_FOUND'],
      [{ itemId: soldOut, quantity: 1 }, 409, 'ITEM_UNAVAILABLE'],
    ];
    for (const [body, status, code] of refusals) expectError(await api('POST', '/v1/cart/lines', { token, body }), status, code);
    const unavailable = await add(token, soldOut);
    expect(unavailable.body.error.details.itemIds).toEqual([soldOut]);
    expectError(await api('PATCH', '/v1/cart/lines/01NOSUCHLINE', { token, body: { quantity: 2 } }), 404, 'NOT_FOUND');
    expect((await api('GET', '/v1/cart', { token })).body).toEqual({ version: 0, lines: [], totalCents: 0 });
  });

  it('keeps every line when several phones add at once to the shared cart', async () => {
    const { phone } = await openTable('FAMILY');
    const phones = await Promise.all([phone(), phone(), phone()]);
    const adds = await Promise.all(Array.from({ length: 30 }, (_, i) => add((phones[i % 3] as { token: string }).token, i % 2 ? burger : fries)));
    expect(adds.every((response) => response.status === 201)).toBe(true);
    const cart = await api('GET', '/v1/cart', { token: phones[0]?.token });
    expect(cart.body.lines).toHaveLength(30);
    expect(cart.body.version).toBe(30);
  });
});

describe('placing orders', () => {
  it('turns the cart into an order and replays it for the same key', async () => {
    const { phone } = await openTable('FAMILY');
    const { token, guestId } = await phone();
    const cart = await add(token, burger, 2, 'medium');
    const key = randomUUID();

    const placed = await place(token, cart.body.version, key);
    expect(placed.status).toBe(201);
    expect(placed.headers.get('idempotent-replayed')).toBeNull();
    expect(placed.body).toEqual({
      orderId: expect.any(String),
      number: expect.any(Number),
      status: 'PLACED',
      placedAt: expect.any(String),
      placedBy: guestId,
      lines: [{ lineId: cart.body.lines[0].lineId, itemId: burger, name: 'Burger', quantity: 2, unitPriceCents: 1650, notes: 'medium', options: [], status: 'QUEUED', course: 0 }],
      totalCents: 3300,
    });
    expect((await api('GET', '/v1/cart', { token })).body.lines).toEqual([]);

    const replay = await place(token, cart.body.version, key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(placed.body);

    // The placement logs what it cost: its round trips by name (the audit entry comes after) and the units consumed.
    const logLine = runtime
      .logs()
      .split('\n')
      .find((line) => line.includes('"order placed"') && line.includes(placed.body.orderId));
    expect(JSON.parse(logLine as string)).toMatchObject({
      dynamoDbCalls: ['PutItem', 'BatchGetItem', 'UpdateItem', 'TransactWriteItems', 'UpdateItem'],
      readCapacityUnits: expect.any(Number),
      writeCapacityUnits: expect.any(Number),
    });
    expect(JSON.parse(logLine as string).writeCapacityUnits).toBeGreaterThan(0);
    // Like Lambda's REPORT line, the runtime reports each invocation of the request: the authorizer and the handler,
    // the handler's round trips in order (the audit entry last) with their units. The benchmarks read these.
    const invocations = runtime
      .logs()
      .split('\n')
      .filter((line) => line.includes('"invocation"') && line.includes(placed.headers.get('x-amzn-requestid') as string))
      .map((line) => JSON.parse(line));
    expect(invocations.map((i) => i.function).sort()).toEqual(['functions/auth/authorizer.ts', 'functions/http/orders/index.ts']);
    const handler = invocations.find((i) => i.function === 'functions/http/orders/index.ts');
    expect(handler.dynamoDbCalls.map((call: { operation: string }) => call.operation)).toEqual([
      'PutItem', 'BatchGetItem', 'UpdateItem', 'TransactWriteItems', 'UpdateItem', 'PutItem',
    ]);
    expect(handler).toMatchObject({ error: false, durationMs: expect.any(Number), writeCapacityUnits: expect.any(Number) });
    // …and an OrdersPlaced metric in CloudWatch Embedded Metric Format, namespaced per stage.
    const emf = runtime
      .logs()
      .split('\n')
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line));
    expect(emf.some((m) => m.OrdersPlaced === 1 && m._aws.CloudWatchMetrics[0].Namespace === 'QrOrdering/dev')).toBe(true);

    expectError(await place(token, cart.body.version + 7, key), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect((await api('GET', '/v1/orders', { token })).body.orders).toEqual([placed.body]);
    expect((await api('GET', `/v1/orders/${placed.body.orderId}`, { token })).body).toEqual(placed.body);
  });

  it('answers 40 concurrent requests with one key with one order', async () => {
    const { phone } = await openTable('FAMILY');
    const { token } = await phone();
    const cart = await add(token, fries, 1);
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: 40 }, () => place(token, cart.body.version, key)));

    const created = responses.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const response of created) expect(response.body).toEqual(created[0]?.body);
    for (const response of responses.filter((r) => r.status !== 201)) expectError(response, 409, 'IDEMPOTENCY_IN_PROGRESS');
    expect((await api('GET', '/v1/orders', { token })).body.orders).toHaveLength(1);
  });

  it('requires a well-formed Idempotency-Key and a cart at the stated version', async () => {
    const { phone } = await openTable('FAMILY');
    const { token } = await phone();
    expectError(await place(token, 0), 409, 'CART_EMPTY');
    const cart = await add(token, burger);
    expectError(await place(token, cart.body.version, null), 400, 'IDEMPOTENCY_KEY_REQUIRED');
    expectError(await place(token, cart.body.version, 'has spaces'), 400, 'IDEMPOTENCY_KEY_REQUIRED');
    expectError(await place(token, cart.body.version, 'k'.repeat(256)), 400, 'IDEMPOTENCY_KEY_REQUIRED');
    const stale = await place(token, cart.body.version - 1);
    expectError(stale, 409, 'CART_CHANGED');
    expect(stale.body.error.details.currentVersion).toBe(cart.body.version);
    expectError(await api('POST', '/v1/orders', { token, body: { cartVersion: 1, totalCents: 1 }, headers: { 'idempotency-key': 'x' } }), 400, 'VALIDATION_FAILED');
    expect((await api('GET', '/v1/cart', { token })).body.lines).toHaveLength(1);
  });

  it('keeps INDIVIDUAL carts and orders private', async () => {
    const { phone } = await openTable('INDIVIDUAL');
    const [ada, bob] = [await phone('Ada'), await phone('Bob')];
    const adaCart = await add(ada.token, burger);
    expect((await api('GET', '/v1/cart', { token: bob.token })).body.lines).toEqual([]);
    const order = await place(ada.token, adaCart.body.version);
    expect(order.status).toBe(201);
    expect((await api('GET', '/v1/orders', { token: bob.token })).body.orders).toEqual([]);
    expectError(await api('GET', `/v1/orders/${order.body.orderId}`, { token: bob.token }), 404, 'NOT_FOUND');

    // Another session's guest cannot read it either.
    const other = await (await openTable('FAMILY')).phone();
    expectError(await api('GET', `/v1/orders/${order.body.orderId}`, { token: other.token }), 404, 'NOT_FOUND');
  });

  it('shows the waiter the orders and the bill per guest', async () => {
    const { phone, sessionId } = await openTable('INDIVIDUAL');
    const [ada, bob] = [await phone('Ada'), await phone('Bob')];
    await place(ada.token, (await add(ada.token, burger, 2)).body.version);
    await place(bob.token, (await add(bob.token, fries, 1)).body.version);

    const detail = await api('GET', `/v1/restaurants/${restaurant.restaurantId}/sessions/${sessionId}`, { token: restaurant.ownerToken });
    expect(detail.status).toBe(200);
    expect(detail.body.orders).toHaveLength(2);
    expect(detail.body.bill).toEqual({
      totalCents: 3300 + 450,
      byGuest: expect.arrayContaining([
        { guestId: ada.guestId, guestName: 'Ada', totalCents: 3300 },
        { guestId: bob.guestId, guestName: 'Bob', totalCents: 450 },
      ]),
    });
  });

  it('refuses orders in a closed session, and guest routes to staff', async () => {
    const { phone, sessionId } = await openTable('FAMILY');
    const { token } = await phone();
    const cart = await add(token, burger);
    await api('POST', `/v1/restaurants/${restaurant.restaurantId}/sessions/${sessionId}/close`, { token: restaurant.ownerToken });
    expectError(await place(token, cart.body.version), 401, 'SESSION_CLOSED');
    expectError(await api('GET', '/v1/cart', { token }), 401, 'SESSION_CLOSED');

    for (const [method, path] of [
      ['GET', '/v1/cart'],
      ['POST', '/v1/orders'],
      ['GET', '/v1/orders'],
    ]) {
      const body = method === 'POST' ? {} : undefined;
      expectError(await api(method as string, path as string, { token: restaurant.ownerToken, body }), 403, 'FORBIDDEN');
      expectError(await api(method as string, path as string), 401, 'UNAUTHENTICATED');
    }
  });
});
