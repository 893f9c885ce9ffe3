import { randomInt, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from './support/http';
import { expectError } from './support/http';
import { startRuntime } from './support/local-runtime';
import type { RunningRuntime } from './support/local-runtime';
import { TestSocket } from './support/socket';
import { staffFixtures } from './support/staff';
import type { TestRestaurant } from './support/staff';

/**
 * DynamoDB and @connections misbehaving at the wire (npm start's --dynamodb-faults and --connection-faults):
 * the SDK's retries absorb what they can, what is left is 503 UNAVAILABLE with Retry-After, and a client
 * retrying the same request finishes the work without doubling it. The restaurant is set up on a runtime
 * without faults; each scenario then runs on a runtime with its faults, against the same table.
 */

let runtime: RunningRuntime;
const { api, createRestaurantWithCli, hire } = staffFixtures(() => runtime);
let a: TestRestaurant;
let waiter: string;
let kitchen: string;
let soupId: string;
/** Open tables: their code, PIN and session. */
const tables: { tableCode: string; pin: string; sessionId: string }[] = [];
/** Tables without a session, for the scenario that opens them. */
const freeTables: string[] = [];

const newIp = () => `198.18.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const DEAD_LETTERS = new URL('../../.local/stream-dead-letters.jsonl', import.meta.url);

beforeAll(async () => {
  runtime = await startRuntime();
  a = await createRestaurantWithCli('Faulty Bistro');
  [waiter, kitchen] = await Promise.all([hire(a, 'WAITER'), hire(a, 'KITCHEN')]).then((staff) => staff.map((s) => s.token));
  soupId = (await api('POST', `/v1/restaurants/${a.restaurantId}/menu/items`, { token: a.ownerToken, body: { name: 'Soup', category: 'Starters', priceCents: 650, station: 'COLD' } })).body.itemId;
  for (const mode of ['FAMILY', 'INDIVIDUAL', 'INDIVIDUAL']) {
    const table = (await api('POST', `/v1/restaurants/${a.restaurantId}/tables`, { token: a.ownerToken, body: { name: `Table ${mode}` } })).body;
    const session = (await api('POST', `/v1/restaurants/${a.restaurantId}/tables/${table.tableId}/sessions`, { token: waiter, body: { mode } })).body;
    tables.push({ tableCode: table.tableCode, pin: session.pin, sessionId: session.sessionId });
  }
  for (let t = 0; t < 4; t++) freeTables.push((await api('POST', `/v1/restaurants/${a.restaurantId}/tables`, { token: a.ownerToken, body: { name: `Free ${t}` } })).body.tableId);
  await runtime.stop();
});

afterAll(async () => {
  await runtime?.stop();
});

/** What the runtime logged as errors and refused requests, to tell why an answer was a 5xx. */
const failuresLogged = () =>
  runtime
    .logs()
    .split('\n')
    .filter((line) => line.includes('"level":"ERROR"') || /"status":5\d\d/.test(line))
    .join('\n')
    .slice(-4000);

/** Runs a scenario on a runtime of its own with these `npm start` options, stopped however the scenario ends. */
async function onRuntime(args: string[], scenario: () => Promise<void>) {
  runtime = await startRuntime({}, args);
  try {
    await scenario();
  } finally {
    await runtime.stop();
  }
}

/**
 * A retry's budget: an attempt whose answer was lost leaves its idempotency record in progress until the
 * invocation's remaining time has passed (the function's 10 s), so a client retrying every 50 ms must keep
 * at it longer than that, however fast each answer comes.
 */
const RETRY_FOR_MS = 15_000;

/** Every answer a request under faults may get: what the client asked for, or 503 to retry; never a 500 or a 502. */
async function untilDone(send: () => Promise<ApiResponse>, done: (response: ApiResponse) => boolean, seen: number[]): Promise<ApiResponse> {
  const giveUp = Date.now() + RETRY_FOR_MS;
  while (Date.now() < giveUp) {
    const response = await send();
    seen.push(response.status);
    if (done(response)) return response;
    if (response.status === 503) {
      expectError(response, 503, 'UNAVAILABLE');
      expect(response.headers.get('retry-after')).toBe('1');
      expect(response.body.error.details).toEqual({ retryAfterSeconds: 1 });
    } else if (response.status !== 409 || response.body.error.code !== 'IDEMPOTENCY_IN_PROGRESS') {
      return response;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not done after ${RETRY_FOR_MS / 1000} s: ${seen.join(', ')}`);
}

describe('DynamoDB throttling, failing, resetting and losing answers on 10 % of all calls', () => {
  it('joins, orders exactly once per Idempotency-Key, and moves lines, every answer the wanted one or a 503', () =>
    onRuntime(['--dynamodb-faults', 'rate=0.1,kinds=throttle+error500+reset+lostAnswer,seed=21'], async () => {
      const seen: number[] = [];
      // Six guests at three tables, all at once: join, add soup, place with one key, retried until it is placed.
      const placed = await Promise.all(
        [0, 1, 2, 0, 1, 2].map(async (t) => {
          const table = tables[t] as (typeof tables)[number];
          const ip = newIp();
          const guest = await untilDone(() => api('POST', '/v1/sessions/join', { body: { tableCode: table.tableCode, pin: table.pin }, ip }), (r) => r.status === 201, seen);
          expect(guest.status).toBe(201);
          const token = guest.body.token as string;
          // A lost answer means a retry finds the line already there: the cart has one line or more, never none.
          await untilDone(() => api('POST', '/v1/cart/lines', { token, body: { itemId: soupId, quantity: 1 } }), (r) => r.status === 201, seen);
          const key = randomUUID();
          for (;;) {
            const cart = await untilDone(() => api('GET', '/v1/cart', { token }), (r) => r.status === 200, seen);
            const order = await untilDone(
              () => api('POST', '/v1/orders', { token, body: { cartVersion: cart.body.version }, headers: { 'Idempotency-Key': key } }),
              (r) => r.status === 201,
              seen,
            );
            // At a FAMILY table another phone may have placed the shared cart first: the same key is then refused, try again with a new one.
            if (order.status === 201) return { token, key, order: order.body, version: cart.body.version };
            expect([409, 422]).toContain(order.status);
            if (order.body.error.code === 'CART_EMPTY') return { token, key, order: undefined, version: cart.body.version };
          }
        }),
      );
      expect(seen.filter((status) => status >= 500 && status !== 503), failuresLogged()).toEqual([]);

      // Each key made one order: replaying it answers the same order, and the session holds each order once.
      for (const { token, key, order, version } of placed.filter((p) => p.order)) {
        const replay = await untilDone(() => api('POST', '/v1/orders', { token, body: { cartVersion: version }, headers: { 'Idempotency-Key': key } }), (r) => r.status === 201, seen);
        expect(replay.body.orderId).toBe(order.orderId);
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
      }
      const orderIds = placed.flatMap((p) => (p.order ? [p.order.orderId as string] : []));
      expect(new Set(orderIds).size).toBe(orderIds.length);
      const tickets = await untilDone(() => api('GET', `/v1/restaurants/${a.restaurantId}/kitchen/tickets`, { token: kitchen }), (r) => r.status === 200, seen);
      const ticketOrders = tickets.body.tickets.map((ticket: { orderId: string }) => ticket.orderId);
      expect(ticketOrders.filter((id: string) => orderIds.includes(id)).sort()).toEqual([...orderIds].sort());
      expect(new Set(ticketOrders).size).toBe(ticketOrders.length);
      // Every soup that went into a cart is on exactly one order or still in its cart: nothing lost, nothing doubled.
      for (const { token } of placed) {
        const cart = await untilDone(() => api('GET', '/v1/cart', { token }), (r) => r.status === 200, seen);
        const mine = await untilDone(() => api('GET', '/v1/orders', { token }), (r) => r.status === 200, seen);
        expect(mine.status, JSON.stringify(mine.body)).toBe(200);
        const ordered = mine.body.orders.flatMap((o: { lines: unknown[] }) => o.lines).length;
        expect(ordered + cart.body.lines.length).toBeGreaterThan(0);
      }

      // The kitchen moves every line to IN_PROGRESS; a retry after a lost answer finds it there already.
      for (const ticket of tickets.body.tickets.filter((t: { orderId: string }) => orderIds.includes(t.orderId))) {
        for (const line of ticket.lines) {
          const moved = await untilDone(
            () => api('PATCH', `/v1/restaurants/${a.restaurantId}/kitchen/orders/${ticket.orderId}/lines/${line.lineId}`, { token: kitchen, body: { status: 'IN_PROGRESS' } }),
            (r) => r.status === 200 || (r.status === 409 && r.body.error.code === 'INVALID_TRANSITION'),
            seen,
          );
          expect([200, 409]).toContain(moved.status);
        }
      }
      const after = await untilDone(() => api('GET', `/v1/restaurants/${a.restaurantId}/kitchen/tickets`, { token: kitchen }), (r) => r.status === 200, seen);
      for (const ticket of after.body.tickets.filter((t: { orderId: string }) => orderIds.includes(t.orderId))) {
        expect(ticket.lines.map((line: { status: string }) => line.status)).toEqual(ticket.lines.map(() => 'IN_PROGRESS'));
      }
      expect(seen.filter((status) => status >= 500 && status !== 503), failuresLogged()).toEqual([]);
      expect(runtime.logs()).toContain('injected DynamoDB fault');
  }), 180_000);

  it('answers 503 UNAVAILABLE with Retry-After when every attempt is throttled, and changes nothing', () =>
    onRuntime(['--dynamodb-faults', 'rate=1,kinds=throttle,ops=TransactWriteItems'], async () => {
      const table = tables[1] as (typeof tables)[number];
      const refusedJoin = await api('POST', '/v1/sessions/join', { body: { tableCode: table.tableCode, pin: table.pin }, ip: newIp() });
      expectError(refusedJoin, 503, 'UNAVAILABLE');
      expect(refusedJoin.headers.get('retry-after')).toBe('1');
      const session = await api('GET', `/v1/restaurants/${a.restaurantId}/sessions/${table.sessionId}`, { token: waiter });
      expect(session.status).toBe(200);
      const guestsBefore = session.body.guests.length;
      expectError(await api('POST', '/v1/sessions/join', { body: { tableCode: table.tableCode, pin: table.pin }, ip: newIp() }), 503, 'UNAVAILABLE');
      expect((await api('GET', `/v1/restaurants/${a.restaurantId}/sessions/${table.sessionId}`, { token: waiter })).body.guests).toHaveLength(guestsBefore);
      expect(runtime.logs()).toContain('database unavailable after retries');
  }), 60_000);
});

describe('DynamoDB applying transactions whose answers are lost (half of them)', () => {
  it("opens each table's session once: the SDK's re-sent transaction succeeds instead of failing its own condition", () =>
    onRuntime(['--dynamodb-faults', 'rate=0.5,kinds=lostAnswer,ops=TransactWriteItems,seed=3'], async () => {
      for (const tableId of freeTables) {
        const opened = await api('POST', `/v1/restaurants/${a.restaurantId}/tables/${tableId}/sessions`, { token: waiter, body: { mode: 'FAMILY' } });
        // 201, or 503 when every attempt's answer was lost; never the 409 of a session colliding with itself.
        expect([201, 503], JSON.stringify(opened.body)).toContain(opened.status);
        const table = (await api('GET', `/v1/restaurants/${a.restaurantId}/tables`, { token: waiter })).body.tables.find((t: { tableId: string }) => t.tableId === tableId);
        if (opened.status === 201) expect(table.openSessionId).toBe(opened.body.sessionId);
      }
      expect(runtime.logs()).toContain('"fault":"lostAnswer"');
    }), 60_000);
});

describe('DynamoDB never answering', () => {
  it('gives up after 2 s per attempt and answers 503 UNAVAILABLE, not a function timeout, and the join changes nothing', () =>
    onRuntime(['--dynamodb-faults', 'rate=1,kinds=timeout,ops=BatchGetItem'], async () => {
      const table = tables[2] as (typeof tables)[number];
      // The staff view reads no BatchGetItem: it still answers, and says who is seated.
      const guests = async () => (await api('GET', `/v1/restaurants/${a.restaurantId}/sessions/${table.sessionId}`, { token: waiter })).body.guests.length;
      const before = await guests();
      const refused = await api('POST', '/v1/sessions/join', { body: { tableCode: table.tableCode, pin: table.pin }, ip: newIp() });
      // Three attempts of 2 s each fit in the function's 10 s: the SDK's timeout, not Lambda's, ends the call.
      expectError(refused, 503, 'UNAVAILABLE');
      expect(runtime.logs()).not.toContain('function timed out');
      expect(await guests()).toBe(before);
    }), 60_000);
});

describe('@connections refusing (429) and failing (500) 5 % of posts', () => {
  it('gets the cart to every socket of the table by the fan-out retrying, or accounts for it in the dead-letter list', () =>
    onRuntime(['--connection-faults', 'rate=0.05,kinds=limit+error500,seed=8'], async () => {
      const table = tables[0] as (typeof tables)[number];
      const guests = [];
      for (let g = 0; g < 3; g++) guests.push((await api('POST', '/v1/sessions/join', { body: { tableCode: table.tableCode, pin: table.pin }, ip: newIp() })).body.token as string);
      const sockets = await Promise.all(guests.map((token) => TestSocket.open(runtime.webSocketUrl, token)));
      const kitchenSocket = await TestSocket.open(runtime.webSocketUrl, kitchen);
      let version = 0;
      // Changes apart enough to land in batches of their own (the fan-out folds a batch's changes of one
      // cart into the last), at least eight and until a post has failed (this seed fails the 20th post).
      const injected = () => runtime.logs().includes('injected @connections fault');
      for (let change = 0; change < 8 || (change < 40 && !injected()); change++) {
        const added = await api('POST', '/v1/cart/lines', { token: guests[change % 3] as string, body: { itemId: soupId, quantity: 1, notes: `change ${change}` } });
        expect(added.status).toBe(201);
        version = added.body.version;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      const lastVersion = version;
      const heard = await Promise.allSettled(sockets.map((socket) => socket.waitFor((m) => m.type === 'cart.updated' && m.data.cart?.version === lastVersion, 20_000)));
      if (heard.some((outcome) => outcome.status === 'rejected')) {
        // Not delivered after the mapping's retries: the record must be in the dead-letter list.
        const letters = (await readFile(DEAD_LETTERS, 'utf8').catch(() => '')).split('\n').filter(Boolean);
        expect(letters.some((line) => line.includes(`SESSION#${table.sessionId}`))).toBe(true);
      }
      // A message id is the same on every retry, so a client drops the copies; the other sockets were served meanwhile.
      for (const socket of sockets) {
        const ids = socket.messages.filter((m) => m.type === 'cart.updated').map((m) => m.id);
        expect(new Set(ids).size).toBeGreaterThan(0);
      }
      expect(kitchenSocket.messages.filter((m) => m.type === 'cart.updated')).toEqual([]);
      expect(runtime.logs()).toContain('injected @connections fault');
      for (const socket of [...sockets, kitchenSocket]) socket.close();
  }), 90_000);
});
