import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DEMO_MENU_FILE } from '../../lib/local/seed';
import { MenuFile } from '../../shared/contract/requests';
import { importMenu } from '../../shared/menu/menu';
import { createRestaurant } from '../../shared/restaurants/restaurants';
import { BenchSocket, timedCall } from './clients';
import type { TimedResponse } from './clients';
import { append } from './invocations';
import { Recorder, percentile } from './stats';

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON from the wire */

export interface LoadOptions {
  restaurants: number;
  tables: number;
  guests: number;
  kitchens: number;
  /** Cart lines each guest adds. */
  lines: number;
  /** Mean pause before each tap of a guest or a kitchen screen (people are not machines), ms; uniformly 0 to twice this. */
  thinkMs: number;
}

export interface Endpoints {
  url: string;
  webSocketUrl: string;
}

/** A write whose change the stream must bring to some sockets. */
interface Expectation {
  key: string;
  kind: 'cart.updated' | 'order.placed / ticket.created' | 'order.updated / ticket.updated' | 'service.acknowledged';
  writtenAt: number;
  sockets: BenchSocket[];
}

export interface LoadResult {
  recorder: Recorder;
  /** API Gateway request ids per operation, to attribute the runtime's invocation lines. */
  requestIds: Map<string, string[]>;
  fanout: { kind: string; deliveries: number; lost: number; p50: number; p99: number }[];
  orders: number;
  sockets: { guests: number; kitchens: number; messagesReceived: number };
  wallSeconds: number;
}

export interface StaffLogin {
  restaurantId: string;
  token: string;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const password = () => `pw-${randomBytes(12).toString('base64url')}`;

/**
 * A restaurant made the way an engineer makes one (the admin CLI's domain functions), the demo menu
 * imported, the owner logged in over HTTP and `kitchens` KITCHEN accounts hired and logged in.
 */
export async function setUpRestaurant(endpoints: Endpoints, kitchens: number, name: string) {
  const ownerPassword = password();
  const { restaurantId } = await createRestaurant({ name, currency: 'EUR', owner: 'owner', password: ownerPassword }, new Date());
  await importMenu(restaurantId, MenuFile.parse(JSON.parse(await readFile(DEMO_MENU_FILE, 'utf8'))), new Date());
  const login = async (username: string, secret: string) =>
    (await expectStatus(timedCall(endpoints.url, 'POST', '/v1/staff/login', { body: { restaurantId, username, password: secret } }), 200)).body
      .token as string;
  const owner: StaffLogin = { restaurantId, token: await login('owner', ownerPassword) };
  const kitchenLogins: StaffLogin[] = [];
  for (let k = 0; k < kitchens; k++) {
    const secret = password();
    await expectStatus(
      timedCall(endpoints.url, 'POST', `/v1/restaurants/${restaurantId}/staff`, {
        token: owner.token,
        body: { username: `kitchen-${k}`, password: secret, role: 'KITCHEN' },
      }),
      201,
    );
    kitchenLogins.push({ restaurantId, token: await login(`kitchen-${k}`, secret) });
  }
  return { restaurantId, owner, kitchens: kitchenLogins };
}

/** A table with an open session, made by the owner. */
export async function openTable(endpoints: Endpoints, owner: StaffLogin, name: string, mode: 'FAMILY' | 'INDIVIDUAL') {
  const table = (await expectStatus(timedCall(endpoints.url, 'POST', `/v1/restaurants/${owner.restaurantId}/tables`, { token: owner.token, body: { name } }), 201)).body;
  const session = (
    await expectStatus(
      timedCall(endpoints.url, 'POST', `/v1/restaurants/${owner.restaurantId}/tables/${table.tableId}/sessions`, { token: owner.token, body: { mode } }),
      201,
    )
  ).body;
  return { tableCode: table.tableCode as string, pin: session.pin as string, sessionId: session.sessionId as string, mode };
}

/** The dishes a guest can order, from the public menu's body. */
/** The dishes a guest can order without choosing options (none of their option groups requires a choice). */
export const availableDishes = (menu: any): any[] =>
  (menu.categories as any[])
    .flatMap((category) => category.items)
    .filter((item) => item.available && item.optionGroups.every((group: { minSelected: number }) => group.minSelected === 0));

export async function expectStatus(pending: Promise<TimedResponse>, status: number): Promise<TimedResponse> {
  const response = await pending;
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  return response;
}

/**
 * The load: R restaurants × T tables × G guests, K kitchen screens per restaurant. Every guest and
 * screen holds a WebSocket. Per table, at once: the guests read the menu, join with the PIN, connect,
 * add their lines (each tap after a random think time); then FAMILY tables place one order (one phone), INDIVIDUAL tables one per guest,
 * each retried once with the same key (a replay); the restaurants course, so a waiter fires the held
 * courses; then the kitchen moves every line QUEUED → IN_PROGRESS → READY, a waiter bumps each ticket to SERVED, and the table asks for the bill, which
 * the floor acknowledges. Each write's message is awaited on the sockets that must get it.
 */
export async function runLoad(endpoints: Endpoints, options: LoadOptions, progress: (line: string) => void): Promise<LoadResult> {
  const recorder = new Recorder();
  const requestIds = new Map<string, string[]>();
  const expectations: Expectation[] = [];
  const allSockets: BenchSocket[] = [];
  let orders = 0;

  /** One measured request: recorded under `operation`, its request id kept. */
  async function measure(operation: string, expected: number, pending: Promise<TimedResponse>): Promise<TimedResponse> {
    const response = await pending;
    const ok = response.status === expected;
    recorder.record(operation, response.startedAt, response.endedAt, ok);
    if (response.requestId) append(requestIds, operation, response.requestId);
    if (!ok) progress(`${operation}: expected ${expected}, got ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
    return response;
  }
  const awaitMessage = (kind: Expectation['kind'], key: string, writtenAt: number, sockets: BenchSocket[]) =>
    expectations.push({ key, kind, writtenAt, sockets });

  const think = () => pause(Math.random() * 2 * options.thinkMs);
  const started = performance.now();
  const ticker = setInterval(() => {
    const pending = expectations.filter((e) => e.sockets.some((s) => !s.firstSeen.has(e.key))).length;
    progress(`load: ${recorder.count()} requests, ${recorder.errors()} errors, ${allSockets.length} sockets, ${orders} orders, ${pending} messages in flight`);
  }, 2000);

  try {
    const restaurants = await Promise.all(
      Array.from({ length: options.restaurants }, (_, r) => setUpRestaurant(endpoints, options.kitchens, `Bench Bistro ${r + 1}`)),
    );
    // The load's restaurants course: mains and desserts wait until the waiter fires them.
    for (const restaurant of restaurants) {
      await expectStatus(timedCall(endpoints.url, 'PATCH', `/v1/restaurants/${restaurant.restaurantId}`, { token: restaurant.owner.token, body: { coursing: true } }), 200);
    }
    const kitchenSockets = new Map<string, BenchSocket[]>();
    for (const restaurant of restaurants) {
      const sockets = await Promise.all(restaurant.kitchens.map((kitchen) => BenchSocket.open(endpoints.webSocketUrl, kitchen.token)));
      allSockets.push(...sockets);
      kitchenSockets.set(restaurant.restaurantId, sockets);
    }

    const tableFlows = restaurants.flatMap((restaurant, r) =>
      Array.from({ length: options.tables }, async (_, t) => {
        const mode = t % 2 === 0 ? 'FAMILY' : 'INDIVIDUAL';
        const table = await openTable(endpoints, restaurant.owner, `Table ${t + 1}`, mode);
        const kitchens = kitchenSockets.get(restaurant.restaurantId) as BenchSocket[];

        const guests = await Promise.all(
          Array.from({ length: options.guests }, async (_, g) => {
            const ip = `10.${r}.${t}.${g + 1}`;
            await think();
            const menu = await measure('get menu', 200, timedCall(endpoints.url, 'GET', `/v1/restaurants/${restaurant.restaurantId}/menu`, { ip }));
            const joined = await measure(
              'join',
              201,
              timedCall(endpoints.url, 'POST', '/v1/sessions/join', { ip, body: { tableCode: table.tableCode, pin: table.pin, guestName: `Guest ${g + 1}` } }),
            );
            const connectStarted = performance.now();
            const socket = await BenchSocket.open(endpoints.webSocketUrl, joined.body.token);
            recorder.record('websocket connect', connectStarted, performance.now(), true);
            allSockets.push(socket);
            const dishes = availableDishes(menu.body);
            return { token: joined.body.token as string, ip, socket, dishes, cartVersion: 0 };
          }),
        );
        const tableSockets = guests.map((guest) => guest.socket);

        await Promise.all(
          guests.map(async (guest, g) => {
            for (let l = 0; l < options.lines; l++) {
              await think();
              const dish = guest.dishes[(g * options.lines + l) % guest.dishes.length];
              const added = await measure(
                'cart add',
                201,
                timedCall(endpoints.url, 'POST', '/v1/cart/lines', { token: guest.token, ip: guest.ip, body: { itemId: dish.itemId, quantity: 1 + (l % 2) } }),
              );
              guest.cartVersion = added.body.version;
              awaitMessage('cart.updated', `cart:${added.body.version}`, added.endedAt, mode === 'FAMILY' ? tableSockets : [guest.socket]);
            }
          }),
        );

        const placers = mode === 'FAMILY' ? guests.slice(0, 1) : guests;
        const placed = await Promise.all(
          placers.map(async (guest) => {
            await think();
            let cartVersion = guest.cartVersion;
            if (mode === 'FAMILY') cartVersion = (await measure('get cart', 200, timedCall(endpoints.url, 'GET', '/v1/cart', { token: guest.token, ip: guest.ip }))).body.version;
            const key = randomUUID();
            const place = () =>
              timedCall(endpoints.url, 'POST', '/v1/orders', { token: guest.token, ip: guest.ip, headers: { 'idempotency-key': key }, body: { cartVersion } });
            const order = await measure('place order', 201, place());
            orders++;
            const receivers = mode === 'FAMILY' ? tableSockets : [guest.socket];
            awaitMessage('order.placed / ticket.created', `placed:${order.body.orderId}`, order.endedAt, [...receivers, ...kitchens]);
            await measure('place order (replay)', 201, place());
            return { order: order.body, receivers };
          }),
        );

        // The waiter fires the rest of the meal: every held line of the table goes to the kitchen at once.
        await think();
        const fired = await measure('fire course', 200, timedCall(endpoints.url, 'POST', `/v1/restaurants/${restaurant.restaurantId}/sessions/${table.sessionId}/fire`, { token: restaurant.owner.token, body: { course: 9 } }));
        for (const { order, receivers } of placed) {
          for (const line of order.lines.filter((held: { status: string }) => held.status === 'HELD')) {
            awaitMessage('order.updated / ticket.updated', `line:${order.orderId}:${line.lineId}:QUEUED`, fired.endedAt, [...receivers, ...kitchens]);
          }
        }

        await Promise.all(
          placed.map(async ({ order, receivers }, o) => {
            const kitchen = restaurant.kitchens[o % restaurant.kitchens.length] as StaffLogin;
            for (const line of order.lines) {
              for (const status of ['IN_PROGRESS', 'READY']) {
                await think();
                const moved = await measure(
                  'line transition',
                  200,
                  timedCall(endpoints.url, 'PATCH', `/v1/restaurants/${restaurant.restaurantId}/kitchen/orders/${order.orderId}/lines/${line.lineId}`, {
                    token: kitchen.token,
                    body: { status },
                  }),
                );
                awaitMessage('order.updated / ticket.updated', `line:${order.orderId}:${line.lineId}:${status}`, moved.endedAt, [...receivers, ...kitchens]);
              }
            }
          }),
        );

        // The waiter runs the food: one bump serves the whole ticket.
        await Promise.all(
          placed.map(async ({ order, receivers }) => {
            await think();
            const bumped = await measure(
              'bump ticket',
              200,
              timedCall(endpoints.url, 'POST', `/v1/restaurants/${restaurant.restaurantId}/kitchen/orders/${order.orderId}/bump`, { token: restaurant.owner.token, body: { to: 'SERVED' } }),
            );
            for (const line of order.lines) awaitMessage('order.updated / ticket.updated', `line:${order.orderId}:${line.lineId}:SERVED`, bumped.endedAt, [...receivers, ...kitchens]);
          }),
        );

        // The table asks for the bill; the floor acknowledges it and the table hears so.
        const asking = guests[0] as (typeof guests)[number];
        await think();
        const request = await measure('service request', 201, timedCall(endpoints.url, 'POST', '/v1/session/requests', { token: asking.token, ip: asking.ip, body: { type: 'REQUEST_BILL' } }));
        const acknowledged = await measure(
          'acknowledge request',
          200,
          timedCall(endpoints.url, 'POST', `/v1/restaurants/${restaurant.restaurantId}/service-requests/${request.body.requestId}/ack`, { token: restaurant.owner.token }),
        );
        awaitMessage('service.acknowledged', `service:${request.body.requestId}`, acknowledged.endedAt, tableSockets);
      }),
    );
    await Promise.all(tableFlows);
    const wallSeconds = (performance.now() - started) / 1000;

    // Every expected message, or 10 s more for stragglers.
    const deadline = performance.now() + 10_000;
    await Promise.all(allSockets.map((socket) => socket.waitForAll(expectations.filter((e) => e.sockets.includes(socket)).map((e) => e.key), deadline)));

    const kinds = [...new Set(expectations.map((e) => e.kind))];
    const fanout = kinds.map((kind) => {
      const latencies: number[] = [];
      let lost = 0;
      for (const expectation of expectations.filter((e) => e.kind === kind)) {
        for (const socket of expectation.sockets) {
          const seen = socket.firstSeen.get(expectation.key);
          if (seen === undefined) lost++;
          else latencies.push(seen - expectation.writtenAt);
        }
      }
      latencies.sort((a, b) => a - b);
      return { kind, deliveries: latencies.length, lost, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
    });
    const guestSockets = allSockets.length - restaurants.length * options.kitchens;
    return {
      recorder,
      requestIds,
      fanout,
      orders,
      sockets: {
        guests: guestSockets,
        kitchens: restaurants.length * options.kitchens,
        messagesReceived: allSockets.reduce((sum, s) => sum + s.messages, 0),
      },
      wallSeconds,
    };
  } finally {
    clearInterval(ticker);
    for (const socket of allSockets) socket.close();
  }
}
