import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './support/http';
import { startRuntime } from './support/local-runtime';
import type { RunningRuntime } from './support/local-runtime';
import { TestSocket } from './support/socket';
import { staffFixtures } from './support/staff';
import type { TestRestaurant } from './support/staff';

/** Resuming needs proof, sessions have a guest cap, and staff can remove a guest (API.md, Guests, r2). */

let runtime: RunningRuntime;
const { api, createRestaurantWithCli, hire } = staffFixtures(() => runtime);
let a: TestRestaurant;
let b: TestRestaurant;
let waiter: string;
let kitchen: string;
let soup: string;

const newIp = () => `198.18.${randomInt(0, 256)}.${randomInt(1, 255)}`;

beforeAll(async () => {
  runtime = await startRuntime();
  [a, b] = await Promise.all([createRestaurantWithCli('Identity Bistro'), createRestaurantWithCli('Other Bistro')]);
  [waiter, kitchen] = await Promise.all([hire(a, 'WAITER'), hire(a, 'KITCHEN')]).then((staff) => staff.map((s) => s.token));
  const item = await api('POST', `/v1/restaurants/${a.restaurantId}/menu/items`, {
    token: a.ownerToken,
    body: { name: 'Soup', category: 'Starters', priceCents: 650, station: 'COLD' },
  });
  soup = item.body.itemId;
});

afterAll(async () => {
  await runtime?.stop();
});

async function openTable(mode: 'FAMILY' | 'INDIVIDUAL' = 'INDIVIDUAL') {
  const table = (await api('POST', `/v1/restaurants/${a.restaurantId}/tables`, { token: a.ownerToken, body: { name: 'Booth' } })).body;
  const session = (await api('POST', `/v1/restaurants/${a.restaurantId}/tables/${table.tableId}/sessions`, { token: waiter, body: { mode } })).body;
  const join = (extra: Record<string, unknown> = {}) =>
    api('POST', '/v1/sessions/join', { body: { tableCode: table.tableCode, pin: session.pin, ...extra }, ip: newIp() });
  const guestPath = (guestId: string, tail = '') => `/v1/restaurants/${a.restaurantId}/sessions/${session.sessionId}/guests/${guestId}${tail}`;
  return { table, session, join, guestPath };
}

async function order(token: string) {
  const cart = await api('POST', '/v1/cart/lines', { token, body: { itemId: soup, quantity: 1 } });
  const placed = await api('POST', '/v1/orders', { token, body: { cartVersion: cart.body.version }, headers: { 'Idempotency-Key': `k-${randomInt(1e9)}` } });
  expect(placed.status).toBe(201);
  return placed.body;
}

describe('resuming a guest identity', () => {
  it("refuses another guest's id without proof, and the impostor never sees that guest's cart or orders", async () => {
    const { join } = await openTable('INDIVIDUAL');
    const ada = await join({ guestName: 'Ada' });
    const adaOrder = await order(ada.body.token);
    await api('POST', '/v1/cart/lines', { token: ada.body.token, body: { itemId: soup, quantity: 3, notes: 'for later' } });

    expectError(await join({ guestId: ada.body.guestId }), 401, 'UNAUTHENTICATED');
    expectError(await join({ guestId: ada.body.guestId, resumeSecret: 'rs_guessed' }), 401, 'UNAUTHENTICATED');
    expectError(await join({ guestId: ada.body.guestId, rejoinCode: 'ABCDEFGH' }), 401, 'UNAUTHENTICATED');

    const bob = await join({ guestName: 'Bob' });
    expect(bob.status).toBe(201);
    expect(bob.body.guestId).not.toBe(ada.body.guestId);
    expect((await api('GET', '/v1/cart', { token: bob.body.token })).body.lines).toEqual([]);
    expect((await api('GET', '/v1/orders', { token: bob.body.token })).body.orders).toEqual([]);
    expect((await api('GET', `/v1/orders/${adaOrder.orderId}`, { token: bob.body.token })).status).toBe(404);
  });

  it('resumes with the resume secret, and with a staff-issued rejoin code exactly once', async () => {
    const { join, guestPath } = await openTable('INDIVIDUAL');
    const ada = await join({ guestName: 'Ada' });
    await api('POST', '/v1/cart/lines', { token: ada.body.token, body: { itemId: soup, quantity: 2 } });

    const resumed = await join({ guestId: ada.body.guestId, resumeSecret: ada.body.resumeSecret });
    expect(resumed.status).toBe(201);
    expect(resumed.body).toMatchObject({ guestId: ada.body.guestId, resumeSecret: ada.body.resumeSecret });
    expect((await api('GET', '/v1/cart', { token: resumed.body.token })).body.lines).toHaveLength(1);

    const issued = await api('POST', guestPath(ada.body.guestId, '/rejoin-code'), { token: waiter });
    expect(issued.status).toBe(200);
    expect(issued.body.rejoinCode).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
    expect(Date.parse(issued.body.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);

    const bob = await join({ guestName: 'Bob' });
    expectError(await join({ guestId: bob.body.guestId, rejoinCode: issued.body.rejoinCode }), 401, 'UNAUTHENTICATED');
    const rejoined = await join({ guestId: ada.body.guestId, rejoinCode: issued.body.rejoinCode.toLowerCase() });
    expect(rejoined.status).toBe(201);
    expect(rejoined.body.guestId).toBe(ada.body.guestId);
    expect((await api('GET', '/v1/cart', { token: rejoined.body.token })).body.lines).toHaveLength(1);
    expectError(await join({ guestId: ada.body.guestId, rejoinCode: issued.body.rejoinCode }), 401, 'UNAUTHENTICATED');
  });

  it('refuses a proof without a guestId as a validation error', async () => {
    const { join } = await openTable();
    expectError(await join({ resumeSecret: 'rs_x' }), 400, 'VALIDATION_FAILED');
  });
});

describe('the guest cap', () => {
  it('admits 20 guests, refuses the 21st with 409 SESSION_FULL, and still lets a guest resume', async () => {
    const { join } = await openTable('FAMILY');
    const joined = await Promise.all(Array.from({ length: 20 }, (_, i) => join({ guestName: `Guest ${i}` })));
    expect(joined.map((r) => r.status)).toEqual(Array(20).fill(201));
    expectError(await join({ guestName: 'One too many' }), 409, 'SESSION_FULL');
    const first = joined[0]?.body;
    expect((await join({ guestId: first.guestId, resumeSecret: first.resumeSecret })).status).toBe(201);
  });
});

describe('removing a guest', () => {
  it('revokes their tokens at once, closes their sockets, tells the table, keeps their orders on the bill', async () => {
    const { session, join, guestPath } = await openTable('FAMILY');
    const ada = await join({ guestName: 'Ada' });
    const bob = await join({ guestName: 'Bob' });
    await order(bob.body.token);
    const bobSocket = await TestSocket.open(runtime.webSocketUrl, bob.body.token);
    const adaSocket = await TestSocket.open(runtime.webSocketUrl, ada.body.token);

    expect((await api('DELETE', guestPath(bob.body.guestId), { token: waiter })).status).toBe(204);
    expectError(await api('GET', '/v1/cart', { token: bob.body.token }), 401, 'UNAUTHENTICATED');
    expect((await adaSocket.waitFor((m) => m.type === 'guest.removed')).data).toEqual({ guestId: bob.body.guestId });
    await bobSocket.closed();
    expectError(await join({ guestId: bob.body.guestId, resumeSecret: bob.body.resumeSecret }), 401, 'UNAUTHENTICATED');

    const seen = await api('GET', '/v1/session', { token: ada.body.token });
    expect(seen.body.guests.map((g: { guestId: string }) => g.guestId)).toEqual([ada.body.guestId]);
    const bill = await api('GET', `/v1/restaurants/${a.restaurantId}/sessions/${session.sessionId}`, { token: waiter });
    expect(bill.body.bill.byGuest).toContainEqual({ guestId: bob.body.guestId, guestName: 'Bob', totalCents: 650 });
    expect((await api('DELETE', guestPath(bob.body.guestId), { token: waiter })).status).toBe(204);
    adaSocket.close();
  });
});

describe('the guest endpoints refuse every other caller', () => {
  it('answers no token 401, guests and kitchen 403, another session or restaurant 404', async () => {
    const { join, guestPath } = await openTable();
    const other = await openTable();
    const ada = await join();
    const stranger = await other.join();
    const outsider = await hire(b, 'MANAGER');
    for (const [method, tail] of [['DELETE', ''], ['POST', '/rejoin-code']] as const) {
      const path = guestPath(ada.body.guestId, tail);
      expectError(await api(method, path), 401, 'UNAUTHENTICATED');
      expectError(await api(method, path, { token: ada.body.token }), 403, 'FORBIDDEN');
      expectError(await api(method, path, { token: kitchen }), 403, 'FORBIDDEN');
      expectError(await api(method, guestPath(stranger.body.guestId, tail), { token: waiter }), 404, 'NOT_FOUND');
      expectError(await api(method, path.replace(a.restaurantId, b.restaurantId), { token: outsider.token }), 404, 'NOT_FOUND');
      expectError(await api(method, path, { token: outsider.token }), 404, 'NOT_FOUND');
    }
    expect((await api('GET', '/v1/session', { token: ada.body.token })).status).toBe(200);
  });
});
