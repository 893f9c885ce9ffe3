import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moneyKeys } from '../support/price-free';
import { expectError } from './support/http';
import { startRuntime } from './support/local-runtime';
import type { RunningRuntime } from './support/local-runtime';
import { TestSocket } from './support/socket';
import { staffFixtures } from './support/staff';
import type { TestRestaurant } from './support/staff';

/** Menu options from the menu to the bill and the kitchen (API.md r2: Menu, Cart, Orders, Kitchen). */
let runtime: RunningRuntime;
const { api, createRestaurantWithCli, hire } = staffFixtures(() => runtime);
let a: TestRestaurant;
let kitchen: string;
let steak: { itemId: string; optionGroups: { groupId: string; name: string; options: { optionId: string; name: string }[] }[] };

const optionId = (group: string, name: string) =>
  steak.optionGroups.find((g) => g.name === group)?.options.find((o) => o.name === name)?.optionId as string;
const groupId = (group: string) => steak.optionGroups.find((g) => g.name === group)?.groupId as string;

beforeAll(async () => {
  runtime = await startRuntime();
  a = await createRestaurantWithCli('Options Bistro');
  kitchen = (await hire(a, 'KITCHEN')).token;
  const created = await api('POST', `/v1/restaurants/${a.restaurantId}/menu/items`, {
    token: a.ownerToken,
    body: {
      name: 'Ribeye steak',
      kitchenName: 'RIBEYE',
      category: 'Mains',
      priceCents: 2450,
      station: 'GRILL',
      prepMinutes: 18,
      optionGroups: [
        { name: 'Doneness', minSelected: 1, maxSelected: 1, options: [{ name: 'Rare', priceDeltaCents: 0 }, { name: 'Medium rare', priceDeltaCents: 0 }] },
        { name: 'Side', minSelected: 1, maxSelected: 1, options: [{ name: 'Salad', priceDeltaCents: 0 }, { name: 'Fries', priceDeltaCents: 0 }, { name: 'Truffle fries', priceDeltaCents: 350, available: false }] },
        { name: 'Extras', minSelected: 0, maxSelected: 2, options: [{ name: 'Extra cheese', priceDeltaCents: 150 }, { name: 'Bacon', priceDeltaCents: 250 }] },
      ],
    },
  });
  expect(created.status).toBe(201);
  steak = created.body;
});

afterAll(async () => {
  await runtime?.stop();
});

async function guestAtTable() {
  const table = (await api('POST', `/v1/restaurants/${a.restaurantId}/tables`, { token: a.ownerToken, body: { name: `T ${randomUUID().slice(0, 4)}` } })).body;
  const session = (await api('POST', `/v1/restaurants/${a.restaurantId}/tables/${table.tableId}/sessions`, { token: a.ownerToken, body: { mode: 'FAMILY' } })).body;
  const joined = await api('POST', '/v1/sessions/join', { body: { tableCode: table.tableCode, pin: session.pin } });
  return { token: joined.body.token as string, sessionId: session.sessionId as string };
}

const choice = (side = 'Fries', extras = ['Extra cheese']) => [
  { groupId: groupId('Doneness'), optionIds: [optionId('Doneness', 'Medium rare')] },
  { groupId: groupId('Side'), optionIds: [optionId('Side', side)] },
  { groupId: groupId('Extras'), optionIds: extras.map((name) => optionId('Extras', name)) },
];

describe('a dish with options', () => {
  it('is ordered "medium rare, fries, extra cheese": priced on the bill, named without a price in the kitchen', async () => {
    const guest = await guestAtTable();
    const screen = await TestSocket.open(runtime.webSocketUrl, kitchen);
    const cart = await api('POST', '/v1/cart/lines', { token: guest.token, body: { itemId: steak.itemId, quantity: 2, options: choice() } });
    expect(cart.status).toBe(201);
    expect(cart.body.lines[0]).toMatchObject({
      unitPriceCents: 2600,
      lineTotalCents: 5200,
      options: [
        { groupName: 'Doneness', name: 'Medium rare', priceDeltaCents: 0 },
        { groupName: 'Side', name: 'Fries', priceDeltaCents: 0 },
        { groupName: 'Extras', name: 'Extra cheese', priceDeltaCents: 150 },
      ],
    });
    const order = await api('POST', '/v1/orders', { token: guest.token, body: { cartVersion: cart.body.version }, headers: { 'Idempotency-Key': randomUUID() } });
    expect(order.status).toBe(201);
    expect(order.body.totalCents).toBe(5200);
    expect(order.body.lines[0].options.map((o: { name: string }) => o.name)).toEqual(['Medium rare', 'Fries', 'Extra cheese']);

    const bill = await api('GET', `/v1/restaurants/${a.restaurantId}/sessions/${guest.sessionId}`, { token: a.ownerToken });
    expect(bill.body.bill.totalCents).toBe(5200);
    expect(bill.body.orders[0].lines[0]).toMatchObject({ unitPriceCents: 2600, options: expect.arrayContaining([expect.objectContaining({ name: 'Extra cheese', priceDeltaCents: 150 })]) });

    const tickets = await api('GET', `/v1/restaurants/${a.restaurantId}/kitchen/tickets?station=GRILL`, { token: kitchen });
    const ticket = tickets.body.tickets.find((t: { orderId: string }) => t.orderId === order.body.orderId);
    expect(ticket.lines[0]).toMatchObject({
      name: 'RIBEYE',
      options: [
        { groupName: 'Doneness', name: 'Medium rare' },
        { groupName: 'Side', name: 'Fries' },
        { groupName: 'Extras', name: 'Extra cheese' },
      ],
      course: 0,
    });
    expect(Date.parse(ticket.dueAt) - Date.parse(ticket.placedAt)).toBe(18 * 60_000);
    const created = await screen.waitFor((m) => m.type === 'ticket.created' && m.data.ticket.orderId === order.body.orderId);
    expect(created.data.ticket.lines[0].options).toEqual(ticket.lines[0].options);
    expect(moneyKeys(tickets.body)).toEqual([]);
    expect(moneyKeys(created)).toEqual([]);
    screen.close();
  });

  it('refuses a broken choice with 400 naming the group, and an unavailable option with 409', async () => {
    const guest = await guestAtTable();
    const add = (options: unknown) => api('POST', '/v1/cart/lines', { token: guest.token, body: { itemId: steak.itemId, quantity: 1, options } });
    const missingSide = await add(choice().filter((group) => group.groupId !== groupId('Side')));
    expectError(missingSide, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(missingSide.body.error.details.issues)).toContain('Side');
    expectError(await add(choice('Fries', ['Extra cheese', 'Extra cheese'])), 400, 'VALIDATION_FAILED');
    const unavailable = await add(choice('Truffle fries'));
    expectError(unavailable, 409, 'OPTION_UNAVAILABLE');
    expect(unavailable.body.error.details.optionIds).toEqual([optionId('Side', 'Truffle fries')]);
    expect((await api('GET', '/v1/cart', { token: guest.token })).body.lines).toEqual([]);
  });

  it('changes options on a cart line, repriced', async () => {
    const guest = await guestAtTable();
    const cart = await api('POST', '/v1/cart/lines', { token: guest.token, body: { itemId: steak.itemId, quantity: 1, options: choice() } });
    const changed = await api('PATCH', `/v1/cart/lines/${cart.body.lines[0].lineId}`, { token: guest.token, body: { options: choice('Salad', ['Extra cheese', 'Bacon']) } });
    expect(changed.status).toBe(200);
    expect(changed.body.lines[0]).toMatchObject({ unitPriceCents: 2850, options: expect.arrayContaining([expect.objectContaining({ name: 'Bacon' })]) });
  });
});
