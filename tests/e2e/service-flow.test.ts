import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { moneyKeys } from '../support/price-free';
import { expectError } from './support/http';
import { startRuntime } from './support/local-runtime';
import type { RunningRuntime } from './support/local-runtime';
import { TestSocket } from './support/socket';
import { staffFixtures } from './support/staff';
import type { TestRestaurant } from './support/staff';

/** A busy service (API.md r2: Table sessions, Guests, Kitchen, WebSocket): courses, bumps, all-day counts, service requests, the floor. */
let runtime: RunningRuntime;
const { api, createRestaurantWithCli, hire } = staffFixtures(() => runtime);
let a: TestRestaurant;
let b: TestRestaurant;
let staff: Record<'waiter' | 'kitchen' | 'grill', string>;
const menu: Record<'wine' | 'soup' | 'steak', string> = { wine: '', soup: '', steak: '' };
const sockets: TestSocket[] = [];

beforeAll(async () => {
  runtime = await startRuntime();
  [a, b] = [await createRestaurantWithCli('Service Bistro'), await createRestaurantWithCli('Other Bistro')];
  const settings = await api('PATCH', `/v1/restaurants/${a.restaurantId}`, { token: a.ownerToken, body: { coursing: true, defaultPrepMinutes: 10 } });
  expect(settings.body).toMatchObject({ coursing: true, defaultPrepMinutes: 10 });
  staff = { waiter: (await hire(a, 'WAITER')).token, kitchen: (await hire(a, 'KITCHEN')).token, grill: (await hire(a, 'KITCHEN', 'GRILL')).token };
  const dish = async (name: string, station: string, course: number, prepMinutes?: number) =>
    (await api('POST', `/v1/restaurants/${a.restaurantId}/menu/items`, { token: a.ownerToken, body: { name, category: 'All', priceCents: 1000, station, course, prepMinutes } })).body
      .itemId as string;
  menu.wine = await dish('Wine', 'BAR', 0, 1);
  menu.soup = await dish('Soup', 'HOT', 1);
  menu.steak = await dish('Steak', 'GRILL', 2, 18);
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

afterAll(async () => {
  await runtime?.stop();
});

const connect = async (token: string) => {
  const socket = await TestSocket.open(runtime.webSocketUrl, token);
  sockets.push(socket);
  return socket;
};
const path = (rest: string) => `/v1/restaurants/${a.restaurantId}${rest}`;

async function seatedGuest() {
  const table = (await api('POST', path('/tables'), { token: a.ownerToken, body: { name: `S ${randomUUID().slice(0, 4)}` } })).body;
  const session = (await api('POST', path(`/tables/${table.tableId}/sessions`), { token: a.ownerToken, body: { mode: 'FAMILY' } })).body;
  const guest = (await api('POST', '/v1/sessions/join', { body: { tableCode: table.tableCode, pin: session.pin } })).body;
  return { token: guest.token as string, sessionId: session.sessionId as string, tableName: table.name as string };
}

async function order(guestToken: string, items: string[]) {
  let version = 0;
  for (const itemId of items) version = (await api('POST', '/v1/cart/lines', { token: guestToken, body: { itemId, quantity: 1 } })).body.version;
  const placed = await api('POST', '/v1/orders', { token: guestToken, body: { cartVersion: version }, headers: { 'Idempotency-Key': randomUUID() } });
  expect(placed.status).toBe(201);
  return placed.body;
}

const lineOf = (ticket: { lines: { name: string; status: string }[] }, name: string) => ticket.lines.find((line) => line.name === name);

describe('a coursed order', () => {
  it('sends drinks and the starter to the kitchen, holds the main until the waiter fires it, and the grill hears it within a second', async () => {
    const guest = await seatedGuest();
    const grill = await connect(staff.grill);
    const placed = await order(guest.token, [menu.wine, menu.soup, menu.steak]);
    expect(placed.lines.map((line: { name: string; status: string }) => `${line.name} ${line.status}`)).toEqual(['Wine QUEUED', 'Soup QUEUED', 'Steak HELD']);

    const tickets = (await api('GET', path('/kitchen/tickets'), { token: staff.kitchen })).body.tickets;
    const ticket = tickets.find((t: { orderId: string }) => t.orderId === placed.orderId);
    expect(lineOf(ticket, 'Steak')).toMatchObject({ status: 'HELD', course: 2, firedAt: null });
    expect(lineOf(ticket, 'Soup')).toMatchObject({ status: 'QUEUED', firedAt: ticket.placedAt });
    // Due when the slowest fired line is: the soup, at the restaurant's default 10 minutes (the held steak does not count yet).
    expect(Date.parse(ticket.dueAt) - Date.parse(ticket.placedAt)).toBe(10 * 60_000);
    await grill.waitFor((m) => m.type === 'ticket.created' && m.data.ticket.orderId === placed.orderId);

    const firedAt = Date.now();
    const fired = await api('POST', path(`/sessions/${guest.sessionId}/fire`), { token: staff.waiter, body: { course: 2 } });
    expect(fired.body).toEqual({ sessionId: guest.sessionId, firedCourse: 2, firedLines: 1 });
    const heard = await grill.waitFor((m) => m.type === 'ticket.updated' && m.data.ticket.orderId === placed.orderId && m.data.ticket.lines[0].status === 'QUEUED', 1000);
    expect(Date.now() - firedAt).toBeLessThan(1000);
    expect(heard.data.ticket.lines[0]).toMatchObject({ name: 'Steak', firedAt: expect.any(String) });
    expect(Date.parse(heard.data.ticket.dueAt)).toBe(Date.parse(heard.data.ticket.lines[0].firedAt) + 18 * 60_000);

    // The session remembers: a later main goes straight to the kitchen.
    const later = await order(guest.token, [menu.steak]);
    expect(later.lines[0].status).toBe('QUEUED');
  });

  it('is placed as before when the restaurant does not course', async () => {
    const guest = await seatedGuest();
    await api('PATCH', path(''), { token: a.ownerToken, body: { coursing: false } });
    try {
      expect((await order(guest.token, [menu.steak])).lines[0].status).toBe('QUEUED');
    } finally {
      await api('PATCH', path(''), { token: a.ownerToken, body: { coursing: true } });
    }
  });
});

describe('bumping a ticket', () => {
  it('moves every live line of the station to READY in one write; the last one ready tells the floor, not the kitchen', async () => {
    const guest = await seatedGuest();
    const [floor, kitchen] = [await connect(staff.waiter), await connect(staff.kitchen)];
    const placed = await order(guest.token, [menu.soup, menu.wine]);
    const bar = await api('POST', path(`/kitchen/orders/${placed.orderId}/bump`), { token: staff.kitchen, body: { to: 'READY', station: 'BAR' } });
    expect(bar.status).toBe(200);
    expect(bar.body.lines.map((line: { name: string; status: string }) => `${line.name} ${line.status}`)).toEqual(['Wine READY']);
    const all = await api('POST', path(`/kitchen/orders/${placed.orderId}/bump`), { token: staff.kitchen, body: { to: 'READY' } });
    expect(all.body).toMatchObject({ status: 'READY', lines: [{ name: 'Soup', status: 'READY' }, { name: 'Wine', status: 'READY' }] });
    // Bumping again changes nothing and answers the ticket as it is.
    expect((await api('POST', path(`/kitchen/orders/${placed.orderId}/bump`), { token: staff.kitchen, body: { to: 'READY' } })).body).toEqual(all.body);

    const ready = await floor.waitFor((m) => m.type === 'ticket.ready' && m.data.orderId === placed.orderId);
    expect(ready.data).toEqual({ orderId: placed.orderId, number: placed.number, tableName: guest.tableName, sessionId: guest.sessionId });
    await kitchen.waitFor((m) => m.type === 'ticket.updated' && m.data.ticket.orderId === placed.orderId && m.data.ticket.status === 'READY');
    expect(kitchen.messages.filter((m) => m.type === 'ticket.ready' || m.type.startsWith('service.'))).toEqual([]);
    expect(floor.messages.filter((m) => m.type === 'ticket.ready' && m.data.orderId === placed.orderId)).toHaveLength(1);

    // A waiter runs the food: SERVED only.
    expectError(await api('POST', path(`/kitchen/orders/${placed.orderId}/bump`), { token: staff.waiter, body: { to: 'READY' } }), 403, 'FORBIDDEN');
    expect((await api('POST', path(`/kitchen/orders/${placed.orderId}/bump`), { token: staff.waiter, body: { to: 'SERVED' } })).body.status).toBe('SERVED');
  });
});

describe('all-day counts', () => {
  it('count what each station still has to make, held courses apart', async () => {
    const before = (await api('GET', path('/kitchen/all-day?station=GRILL'), { token: staff.grill })).body.items;
    const count = (items: { name: string; queued: number; held: number }[]) => items.find((item) => item.name === 'Steak') ?? { queued: 0, held: 0 };
    const guest = await seatedGuest();
    await order(guest.token, [menu.steak, menu.soup]);
    const after = (await api('GET', path('/kitchen/all-day'), { token: staff.grill })).body.items;
    expect(count(after).held).toBe(count(before).held + 1);
    expect(after.map((item: { name: string }) => item.name)).not.toContain('Soup');
    expect(moneyKeys(after)).toEqual([]);
  });
});

describe('service requests', () => {
  it("reach the floor (a bill request with its total), not the kitchen; the ack reaches the guest; one open per type", async () => {
    const guest = await seatedGuest();
    await order(guest.token, [menu.soup, menu.wine]);
    const [floor, kitchen, phone] = [await connect(staff.waiter), await connect(staff.kitchen), await connect(guest.token)];

    const call = await api('POST', '/v1/session/requests', { token: guest.token, body: { type: 'CALL_WAITER', note: 'More bread' } });
    expect(call.status).toBe(201);
    expect(call.body).toEqual({ requestId: expect.any(String), type: 'CALL_WAITER', status: 'OPEN', at: expect.any(String) });
    expectError(await api('POST', '/v1/session/requests', { token: guest.token, body: { type: 'CALL_WAITER' } }), 409, 'REQUEST_ALREADY_OPEN');
    const bill = await api('POST', '/v1/session/requests', { token: guest.token, body: { type: 'REQUEST_BILL' } });
    expect(bill.status).toBe(201);

    const heard = await floor.waitFor((m) => m.type === 'service.requested' && m.data.request.requestId === bill.body.requestId);
    expect(heard.data.request).toMatchObject({ type: 'REQUEST_BILL', sessionId: guest.sessionId, tableName: guest.tableName, billTotalCents: 2000 });
    const listed = (await api('GET', path('/service-requests?status=OPEN'), { token: staff.waiter })).body.requests;
    expect(listed.filter((r: { sessionId: string }) => r.sessionId === guest.sessionId).map((r: { type: string; note: string | null }) => `${r.type} ${r.note}`)).toEqual([
      'CALL_WAITER More bread',
      'REQUEST_BILL null',
    ]);
    const snapshot = await floor.request({ action: 'sync' }, 'snapshot');
    expect(snapshot.data.serviceRequests.map((r: { requestId: string }) => r.requestId)).toEqual(expect.arrayContaining([call.body.requestId, bill.body.requestId]));

    const ack = await api('POST', path(`/service-requests/${call.body.requestId}/ack`), { token: staff.waiter });
    expect(ack.body).toMatchObject({ requestId: call.body.requestId, status: 'ACKNOWLEDGED' });
    const told = await phone.waitFor((m) => m.type === 'service.acknowledged');
    expect(told.data).toEqual({ requestId: call.body.requestId, type: 'CALL_WAITER' });
    await floor.waitFor((m) => m.type === 'service.acknowledged' && m.data.request.requestId === call.body.requestId);
    // Once acknowledged, the table may call again; acknowledging twice answers the same.
    expect((await api('POST', '/v1/session/requests', { token: guest.token, body: { type: 'CALL_WAITER' } })).status).toBe(201);
    expect((await api('POST', path(`/service-requests/${call.body.requestId}/ack`), { token: staff.waiter })).body.status).toBe('ACKNOWLEDGED');

    // The kitchen hears none of it and never a bill total; guests never see the total either.
    const kitchenSnapshot = await kitchen.request({ action: 'sync' }, 'snapshot');
    expect(kitchenSnapshot.data.serviceRequests).toBeUndefined();
    expect(kitchen.messages.filter((m) => m.type.startsWith('service.'))).toEqual([]);
    expect(moneyKeys(kitchen.messages)).toEqual([]);
    expect(JSON.stringify(phone.messages.filter((m) => m.type.startsWith('service.')))).not.toContain('billTotalCents');
  });
});

describe('every new endpoint', () => {
  it('refuses no token, a wrong role, another session and another restaurant', async () => {
    const guest = await seatedGuest();
    const other = await seatedGuest();
    const placed = await order(guest.token, [menu.soup]);
    const request = (await api('POST', '/v1/session/requests', { token: guest.token, body: { type: 'CALL_WAITER' } })).body;
    const otherKitchen = (await hire(b, 'KITCHEN')).token;
    // `ofA`: the path names one of A's sessions, orders or requests, which B must not reach under its own restaurant either.
    const routes: { method: string; path: string; body?: unknown; wrongRole: string; ofA?: boolean }[] = [
      { method: 'POST', path: path(`/sessions/${guest.sessionId}/fire`), body: { course: 2 }, wrongRole: staff.kitchen, ofA: true },
      { method: 'POST', path: path(`/kitchen/orders/${placed.orderId}/bump`), body: { to: 'READY' }, wrongRole: guest.token, ofA: true },
      { method: 'GET', path: path('/kitchen/all-day'), wrongRole: staff.waiter },
      { method: 'GET', path: path('/service-requests'), wrongRole: staff.kitchen },
      { method: 'POST', path: path(`/service-requests/${request.requestId}/ack`), wrongRole: staff.kitchen, ofA: true },
      { method: 'PATCH', path: path(''), body: { coursing: true }, wrongRole: staff.waiter },
    ];
    for (const route of routes) {
      expectError(await api(route.method, route.path, { body: route.body }), 401, 'UNAUTHENTICATED');
      expectError(await api(route.method, route.path, { token: route.wrongRole, body: route.body }), 403, 'FORBIDDEN');
      // Another restaurant's staff: its own path names nothing here, and this restaurant's path is not theirs.
      expectError(await api(route.method, route.path, { token: b.ownerToken, body: route.body }), 404, 'NOT_FOUND');
      if (route.ofA) expectError(await api(route.method, route.path.replace(a.restaurantId, b.restaurantId), { token: b.ownerToken, body: route.body }), 404, 'NOT_FOUND');
    }
    // Nothing of A moved.
    expect((await api('GET', '/v1/orders', { token: guest.token })).body.orders[0].lines[0].status).toBe('QUEUED');
    expect((await api('GET', path('/service-requests'), { token: staff.waiter })).body.requests.map((r: { requestId: string }) => r.requestId)).toContain(request.requestId);
    expectError(await api('GET', `/v1/restaurants/${b.restaurantId}/kitchen/all-day`, { token: staff.kitchen }), 404, 'NOT_FOUND');
    expect((await api('GET', `/v1/restaurants/${b.restaurantId}/kitchen/all-day`, { token: otherKitchen })).body.items).toEqual([]);
    // Guests: staff routes are not theirs, and a request is only ever their own session's.
    expectError(await api('POST', '/v1/session/requests', { body: { type: 'CALL_WAITER' } }), 401, 'UNAUTHENTICATED');
    expectError(await api('POST', '/v1/session/requests', { token: staff.waiter, body: { type: 'CALL_WAITER' } }), 403, 'FORBIDDEN');
    expect((await api('POST', '/v1/session/requests', { token: other.token, body: { type: 'CALL_WAITER' } })).status).toBe(201);
    expectError(await api('POST', '/v1/session/requests', { token: guest.token, body: { type: 'SING_A_SONG' } }), 400, 'VALIDATION_FAILED');
  });
});
