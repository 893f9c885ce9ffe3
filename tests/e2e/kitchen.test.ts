import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moneyKeys } from '../support/price-free';
import { expectError } from './support/http';
import { startRuntime } from './support/local-runtime';
import type { RunningRuntime } from './support/local-runtime';
import { staffFixtures } from './support/staff';
import type { TestRestaurant } from './support/staff';

let runtime: RunningRuntime;
const { api, createRestaurantWithCli, hire } = staffFixtures(() => runtime);
let a: TestRestaurant;
let b: TestRestaurant;
let staff: Record<'WAITER' | 'KITCHEN' | 'GRILL', string>;
let steak: string;
let salad: string;

beforeAll(async () => {
  runtime = await startRuntime();
  [a, b] = await Promise.all([createRestaurantWithCli('Kitchen Bistro'), createRestaurantWithCli('Other Bistro')]);
  const [waiter, kitchen, grill] = await Promise.all([hire(a, 'WAITER'), hire(a, 'KITCHEN'), hire(a, 'KITCHEN', 'GRILL')]);
  staff = { WAITER: waiter.token, KITCHEN: kitchen.token, GRILL: grill.token };
  const dish = async (name: string, station: string, allergens: string[]) =>
    (
      await api('POST', `/v1/restaurants/${a.restaurantId}/menu/items`, {
        token: a.ownerToken,
        body: { name, category: 'Mains', priceCents: 2500, station, allergens },
      })
    ).body.itemId as string;
  [steak, salad] = [await dish('Steak', 'GRILL', ['mustard']), await dish('Salad', 'COLD', ['nuts'])];
});

afterAll(async () => {
  await runtime?.stop();
});

let ip = 0;
/** A guest at a new table places one order; returns its id and lines (Steak first, then Salad). */
async function placeOrder(items: { itemId: string; notes?: string }[] = [{ itemId: steak, notes: 'rare' }, { itemId: salad }]) {
  const table = await api('POST', `/v1/restaurants/${a.restaurantId}/tables`, { token: a.ownerToken, body: { name: `Table ${++ip}` } });
  const session = await api('POST', `/v1/restaurants/${a.restaurantId}/tables/${table.body.tableId}/sessions`, { token: a.ownerToken, body: { mode: 'FAMILY' } });
  const joined = await api('POST', '/v1/sessions/join', { body: { tableCode: table.body.tableCode, pin: session.body.pin }, ip: `198.18.0.${ip % 250}` });
  let version = 0;
  for (const item of items) version = (await api('POST', '/v1/cart/lines', { token: joined.body.token, body: { ...item, quantity: 2 } })).body.version;
  const order = await api('POST', '/v1/orders', { token: joined.body.token, body: { cartVersion: version }, headers: { 'idempotency-key': randomUUID() } });
  expect(order.status).toBe(201);
  return { orderId: order.body.orderId as string, lineIds: order.body.lines.map((l: { lineId: string }) => l.lineId) as string[], guest: joined.body.token as string, tableName: table.body.name as string, number: order.body.number as number };
}

const move = (token: string, orderId: string, lineId: string, status: string) =>
  api('PATCH', `/v1/restaurants/${a.restaurantId}/kitchen/orders/${orderId}/lines/${lineId}`, { token, body: { status } });
const tickets = (token: string, query = '') => api('GET', `/v1/restaurants/${a.restaurantId}/kitchen/tickets${query}`, { token });

describe('kitchen tickets', () => {
  it('lists active orders oldest first with notes, allergens and timing, and never a price', async () => {
    const first = await placeOrder();
    const second = await placeOrder();
    const response = await tickets(staff.KITCHEN);
    expect(response.status).toBe(200);
    const ids = response.body.tickets.map((t: { orderId: string }) => t.orderId);
    expect(ids.indexOf(first.orderId)).toBeLessThan(ids.indexOf(second.orderId));
    const ticket = response.body.tickets.find((t: { orderId: string }) => t.orderId === first.orderId);
    expect(ticket).toEqual({
      orderId: first.orderId,
      number: first.number,
      tableName: first.tableName,
      placedAt: expect.any(String),
      status: 'PLACED',
      dueAt: null,
      lines: [
        { lineId: first.lineIds[0], name: 'Steak', quantity: 2, notes: 'rare', allergens: ['mustard'], station: 'GRILL', status: 'QUEUED', updatedAt: expect.any(String), options: [], course: 0, firedAt: ticket.placedAt },
        { lineId: first.lineIds[1], name: 'Salad', quantity: 2, notes: null, allergens: ['nuts'], station: 'COLD', status: 'QUEUED', updatedAt: expect.any(String), options: [], course: 0, firedAt: ticket.placedAt },
      ],
    });
    expect(moneyKeys(response.body)).toEqual([]);
    expect(moneyKeys((await move(staff.KITCHEN, first.orderId, first.lineIds[0] as string, 'IN_PROGRESS')).body)).toEqual([]);
  });

  it('filters by station: a station-bound account by default, anyone on request', async () => {
    const order = await placeOrder();
    const stationsOf = (body: { tickets: { orderId: string; lines: { station: string }[] }[] }) =>
      body.tickets.find((t) => t.orderId === order.orderId)?.lines.map((l) => l.station);
    expect(stationsOf((await tickets(staff.GRILL)).body)).toEqual(['GRILL']);
    expect(stationsOf((await tickets(staff.GRILL, '?station=COLD')).body)).toEqual(['COLD']);
    expect(stationsOf((await tickets(staff.KITCHEN)).body)).toEqual(['GRILL', 'COLD']);
    expect(stationsOf((await tickets(staff.KITCHEN, '?station=grill')).body)).toEqual(['GRILL']);
    expect(stationsOf((await tickets(staff.KITCHEN, '?station=PASTRY')).body)).toBeUndefined();
  });

  it('pages with an opaque cursor', async () => {
    await placeOrder();
    await placeOrder();
    const first = await tickets(staff.KITCHEN, '?limit=1');
    expect(first.body.tickets).toHaveLength(1);
    const second = await tickets(staff.KITCHEN, `?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.tickets).toHaveLength(1);
    expect(second.body.tickets[0].orderId).not.toBe(first.body.tickets[0].orderId);
    expectError(await tickets(staff.KITCHEN, '?cursor=bm9wZQ'), 400, 'VALIDATION_FAILED');

    // Forged cursors of the right shape for this restaurant: refused as bad input, never a 500.
    const real = JSON.parse(Buffer.from(first.body.nextCursor, 'base64url').toString());
    const forge = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');
    for (const forged of [
      { ...real, gsi1sk: '' },
      { ...real, sk: 'S'.repeat(5000) },
      { ...real, extra: 'field' },
      { ...real, pk: 7 },
    ]) {
      expectError(await tickets(staff.KITCHEN, `?cursor=${forge(forged)}`), 400, 'VALIDATION_FAILED');
    }
  });
});

describe('line status', () => {
  it('lets exactly one of 8 identical parallel transitions through', async () => {
    const order = await placeOrder();
    const lineId = order.lineIds[0] as string;
    const responses = await Promise.all(Array.from({ length: 8 }, () => move(staff.KITCHEN, order.orderId, lineId, 'IN_PROGRESS')));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    for (const response of responses.filter((r) => r.status !== 200)) {
      expectError(response, 409, 'INVALID_TRANSITION');
      expect(response.body.error.details).toEqual({ from: 'IN_PROGRESS', to: 'IN_PROGRESS' });
    }
  });

  it('derives the order status through a full lifecycle with a cancellation, and drops served orders', async () => {
    const order = await placeOrder();
    const [steakLine, saladLine] = order.lineIds as [string, string];
    const guestStatus = async () => (await api('GET', `/v1/orders/${order.orderId}`, { token: order.guest })).body.status;
    const ticketStatus = async () =>
      (await tickets(staff.KITCHEN)).body.tickets.find((t: { orderId: string }) => t.orderId === order.orderId)?.status;

    expect(await guestStatus()).toBe('PLACED');
    await move(staff.KITCHEN, order.orderId, steakLine, 'IN_PROGRESS');
    expect([await guestStatus(), await ticketStatus()]).toEqual(['IN_PROGRESS', 'IN_PROGRESS']);
    await move(staff.KITCHEN, order.orderId, saladLine, 'CANCELLED');
    await move(staff.KITCHEN, order.orderId, steakLine, 'READY');
    expect([await guestStatus(), await ticketStatus()]).toEqual(['READY', 'READY']);
    await move(staff.KITCHEN, order.orderId, steakLine, 'IN_PROGRESS'); // recall
    expect(await guestStatus()).toBe('IN_PROGRESS');
    await move(staff.KITCHEN, order.orderId, steakLine, 'READY');
    const served = await move(staff.WAITER, order.orderId, steakLine, 'SERVED');
    expect(served.status).toBe(200);
    expect(served.body).toMatchObject({ lineId: steakLine, status: 'SERVED' });
    expect(await guestStatus()).toBe('SERVED');
    expect(await ticketStatus()).toBeUndefined();

    const cancelled = await placeOrder([{ itemId: salad }]);
    await move(staff.KITCHEN, cancelled.orderId, cancelled.lineIds[0] as string, 'CANCELLED');
    expect((await api('GET', `/v1/orders/${cancelled.orderId}`, { token: cancelled.guest })).body.status).toBe('CANCELLED');
  });

  it('applies the role matrix: guests 403, waiters SERVED only, another restaurant 404', async () => {
    const order = await placeOrder();
    const lineId = order.lineIds[0] as string;
    expectError(await move(order.guest, order.orderId, lineId, 'IN_PROGRESS'), 403, 'FORBIDDEN');
    expectError(await tickets(order.guest), 403, 'FORBIDDEN');
    expectError(await move(staff.WAITER, order.orderId, lineId, 'IN_PROGRESS'), 403, 'FORBIDDEN');
    expectError(await move(staff.WAITER, order.orderId, lineId, 'CANCELLED'), 403, 'FORBIDDEN');
    expectError(await move(staff.WAITER, order.orderId, lineId, 'SERVED'), 409, 'INVALID_TRANSITION');
    expect((await tickets(staff.WAITER)).status).toBe(200);

    expectError(await api('GET', `/v1/restaurants/${a.restaurantId}/kitchen/tickets`, { token: b.ownerToken }), 404, 'NOT_FOUND');
    const foreign = await api('PATCH', `/v1/restaurants/${b.restaurantId}/kitchen/orders/${order.orderId}/lines/${lineId}`, {
      token: b.ownerToken,
      body: { status: 'IN_PROGRESS' },
    });
    expectError(foreign, 404, 'NOT_FOUND');
    const bTickets = await api('GET', `/v1/restaurants/${b.restaurantId}/kitchen/tickets`, { token: b.ownerToken });
    expect(bTickets.body.tickets).toEqual([]);

    expectError(await move(staff.KITCHEN, 'o-no-such-order', lineId, 'IN_PROGRESS'), 404, 'NOT_FOUND');
    expectError(await move(staff.KITCHEN, order.orderId, '01NOSUCHLINE', 'IN_PROGRESS'), 404, 'NOT_FOUND');
    expectError(await move(staff.KITCHEN, order.orderId, lineId, 'DONE'), 400, 'VALIDATION_FAILED');
    expectError(await api('GET', `/v1/restaurants/${a.restaurantId}/kitchen/tickets`), 401, 'UNAUTHENTICATED');
  });
});
