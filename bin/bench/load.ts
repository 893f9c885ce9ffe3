import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DEMO_MENU_FILE } from '../../lib/local/seed';
import { MenuFile } from '../../shared/contract/requests';
import { importMenu } from '../../shared/menu/menu';
import { createRestaurant } from '../../shared/restaurants/restaurants';
import { BenchSocket, RetryCounter, timedCall, untilAnswered } from './clients';
import type { OrdersView, TimedResponse } from './clients';
import { EndState, cartSubject, orderSubject, serviceRequestSubject, viewOf } from './end-state';
import { listSessionOrders } from '../../shared/db/orders';
import type { Order } from '../../shared/db/orders';
import { forEachBounded } from '../../shared/realtime/posting';
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
  /** A soak: every table is served again (a new session) until this many seconds have passed; one round when absent. */
  soakSeconds?: number;
}

export interface Endpoints {
  url: string;
  webSocketUrl: string;
}

/** A write whose change the stream must bring to some sockets. */
interface Expectation {
  key: string;
  kind: 'cart.updated' | 'order.placed / ticket.created' | 'order.updated / ticket.updated' | 'service.acknowledged';
  /** What a dead letter of the write names: an order id, `CART#` of a session, a service request id. */
  subjects: string[];
  writtenAt: number;
  sockets: BenchSocket[];
}

export interface LoadResult {
  recorder: Recorder;
  /** API Gateway request ids per operation, to attribute the runtime's invocation lines. */
  requestIds: Map<string, string[]>;
  /** Per message kind: delivered, missed but accounted for (dead-lettered, or the socket was down and synced), and lost. */
  fanout: { kind: string; deliveries: number; deadLettered: number; afterOutage: number; lost: number; p50: number; p99: number }[];
  orders: number;
  /** Tables served (more than one round per table in a soak). */
  rounds: number;
  /** Sockets, and the frames they sent and received while the load ran, as API Gateway bills them (per 32 KB). */
  sockets: { guests: number; kitchens: number; billedMessages: number };
  retries: RetryCounter;
  endState: EndState;
  /** Times a socket was dropped by the server and came back (reconnected and synced). */
  reconnections: number;
  /** When the runtime was restarted, seconds into the service (after the restaurants' set-up), and how long it was away. */
  restart?: { atSeconds: number; awaySeconds: number };
  wallSeconds: number;
}

/** What happens to the service while the load runs. */
export interface LoadEvents {
  /** Stops the runtime and starts it again, on the same ports and table. */
  restartRuntime?: () => Promise<void>;
  /** When to restart it: seconds after the restaurants are set up and the first tables sit down. */
  restartAtSeconds?: number;
  /** Called every ten seconds during the load, e.g. to sample the runtime's memory. */
  tick?: () => void;
  /** Called when the load is done, before the end-state checks (which send requests of their own). */
  loadDone?: () => void;
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
    (await expectStatus(() => timedCall(endpoints.url, 'POST', '/v1/staff/login', { body: { restaurantId, username, password: secret } }), 200)).body
      .token as string;
  const owner: StaffLogin = { restaurantId, token: await login('owner', ownerPassword) };
  const kitchenLogins: StaffLogin[] = [];
  for (let k = 0; k < kitchens; k++) {
    const secret = password();
    await expectStatus(() => timedCall(endpoints.url, 'POST', `/v1/restaurants/${restaurantId}/staff`, {
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
  const table = (await expectStatus(() => timedCall(endpoints.url, 'POST', `/v1/restaurants/${owner.restaurantId}/tables`, { token: owner.token, body: { name } }), 201)).body;
  const opened = await untilAnswered(() => timedCall(endpoints.url, 'POST', `/v1/restaurants/${owner.restaurantId}/tables/${table.tableId}/sessions`, { token: owner.token, body: { mode } }), new RetryCounter());
  return { tableId: table.tableId as string, tableCode: table.tableCode as string, ...(await openedSession(endpoints, owner, opened)), mode };
}

/**
 * The session an open-session answer gives, with its PIN. A retry answered SESSION_ALREADY_OPEN found
 * the table taken by the session whose answer was lost (nobody else opens the load's tables): as the
 * floor app shows the waiter that session, the waiter gives it a new PIN.
 */
async function openedSession(endpoints: Endpoints, owner: StaffLogin, response: TimedResponse & { attempts: number }): Promise<{ sessionId: string; pin: string }> {
  if (response.status === 201) return { sessionId: response.body.sessionId, pin: response.body.pin };
  const openSessionId = response.body?.error?.details?.openSessionId;
  if (!alreadyDone('SESSION_ALREADY_OPEN')(response) || typeof openSessionId !== 'string') throw new Error(`expected 201, got ${response.status}: ${JSON.stringify(response.body)}`);
  const renewed = await expectStatus(() => timedCall(endpoints.url, 'POST', `/v1/restaurants/${owner.restaurantId}/sessions/${openSessionId}/pin`, { token: owner.token }), 200);
  return { sessionId: openSessionId, pin: renewed.body.pin };
}

/** The dishes a guest can order, from the public menu's body. */
/** The dishes a guest can order without choosing options (none of their option groups requires a choice). */
export const availableDishes = (menu: any): any[] =>
  (menu.categories as any[])
    .flatMap((category) => category.items)
    .filter((item) => item.available && item.optionGroups.every((group: { minSelected: number }) => group.minSelected === 0));

/** The answer, sent again while it is "later" (see untilAnswered), that must have this status. */
export async function expectStatus(send: () => Promise<TimedResponse>, status: number): Promise<TimedResponse> {
  const response = await untilAnswered(send, new RetryCounter());
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  return response;
}


/**
 * Answers that say the work is done although the answer was lost: to a retry of the client's, or to
 * one of the SDK's inside the function (a write DynamoDB applied but answered too late is sent again,
 * and its condition then fails: a line already `from` the status `to` it was asked to reach).
 */
const alreadyDone = (code: string) => (response: TimedResponse & { attempts: number }) => {
  const error = response.body?.error;
  return error?.code === code && (response.attempts > 1 || (error.details?.from !== undefined && error.details.from === error.details.to));
};

/**
 * The load: R restaurants × T tables × G guests, K kitchen screens per restaurant. Every guest and
 * screen holds a WebSocket. Per table, at once: the guests read the menu, join with the PIN, connect,
 * add their lines (each tap after a random think time); then FAMILY tables place one order (one phone), INDIVIDUAL tables one per guest,
 * each retried once with the same key (a replay); the restaurants course, so a waiter fires the held
 * courses; then the kitchen starts each ticket's first line and bumps the ticket to READY (its screen's two taps), a waiter bumps it to SERVED, and the table asks for the bill, which
 * the floor acknowledges. Each write's message is awaited on the sockets that must get it. Every
 * request a client would send again (503, in progress, no answer) is sent again, the same request.
 *
 * When a table is done, its end state is checked (orders once per key; each phone's orders, heard
 * and after `sync`, and over REST, equal the table); in a soak the table then closes its session and
 * seats its next guests. At the end, each kitchen screen is checked the same way.
 */
export async function runLoad(endpoints: Endpoints, options: LoadOptions, progress: (line: string) => void, events: LoadEvents = {}): Promise<LoadResult> {
  const recorder = new Recorder();
  const retries = new RetryCounter();
  const endState = new EndState();
  const requestIds = new Map<string, string[]>();
  const expectations: Expectation[] = [];
  /** The keys each socket must see, in the order they were expected. */
  const expectedKeys = new Map<BenchSocket, string[]>();
  const keysFor = (socket: BenchSocket) => expectedKeys.get(socket) ?? [];
  const allSockets: BenchSocket[] = [];
  let orders = 0;
  let rounds = 0;
  let openSockets = 0;

  /** One measured request, sent until its answer is final: recorded under `operation`, its request id kept. */
  async function measure(operation: string, expected: number, send: () => Promise<TimedResponse>, accept?: (response: TimedResponse & { attempts: number }) => boolean) {
    const response = await untilAnswered(send, retries);
    const ok = response.status === expected || accept?.(response) === true;
    recorder.record(operation, response.startedAt, response.endedAt, ok);
    if (response.requestId) append(requestIds, operation, response.requestId);
    if (!ok) progress(`${operation}: expected ${expected}, got ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
    return response;
  }
  const call = (...args: Parameters<typeof timedCall>) => () => timedCall(...args);
  const awaitMessage = (kind: Expectation['kind'], key: string, subjects: string[], writtenAt: number, sockets: BenchSocket[]) => {
    expectations.push({ key, kind, subjects, writtenAt, sockets });
    for (const socket of sockets) append(expectedKeys, socket, key);
  };
  const openSocket = async (token: string) => {
    const socket = await BenchSocket.open(endpoints.webSocketUrl, token);
    allSockets.push(socket);
    openSockets++;
    return socket;
  };

  const think = () => pause(Math.random() * 2 * options.thinkMs);
  const started = performance.now();
  const startedAt = new Date();
  const soakUntil = started + (options.soakSeconds ?? 0) * 1000;
  const ticker = setInterval(() => {
    const pending = expectations.filter((e) => e.sockets.some((s) => !s.firstSeen.has(e.key))).length;
    progress(
      `load: ${Math.round((performance.now() - started) / 1000)} s, ${recorder.count()} requests, ${recorder.errors()} errors, ${retries.total()} retried, ` +
        `${openSockets} sockets, ${orders} orders, ${pending} messages in flight`,
    );
  }, 2000);
  const sampler = events.tick && setInterval(events.tick, 10_000);
  let restart: LoadResult['restart'];
  let restartTimer: NodeJS.Timeout | undefined;
  let restarting: Promise<void> | undefined;

  try {
    const restaurants = await Promise.all(
      Array.from({ length: options.restaurants }, (_, r) => setUpRestaurant(endpoints, options.kitchens, `Bench Bistro ${r + 1}`)),
    );
    // The load's restaurants course: mains and desserts wait until the waiter fires them.
    for (const restaurant of restaurants) {
      await expectStatus(() => timedCall(endpoints.url, 'PATCH', `/v1/restaurants/${restaurant.restaurantId}`, { token: restaurant.owner.token, body: { coursing: true } }), 200);
    }
    const kitchenSockets = new Map<string, BenchSocket[]>();
    for (const restaurant of restaurants) {
      kitchenSockets.set(restaurant.restaurantId, await Promise.all(restaurant.kitchens.map((kitchen) => openSocket(kitchen.token))));
    }
    // Service starts: the restart, if any, counts from here.
    const serviceStarted = performance.now();
    if (events.restartRuntime && events.restartAtSeconds !== undefined) {
      const restartRuntime = events.restartRuntime;
      restartTimer = setTimeout(() => {
        const at = performance.now();
        progress('restarting the runtime');
        restarting = restartRuntime().then(() => {
          restart = { atSeconds: (at - serviceStarted) / 1000, awaySeconds: (performance.now() - at) / 1000 };
          progress(`the runtime is back after ${restart.awaySeconds.toFixed(1)} s`);
        });
      }, events.restartAtSeconds * 1000);
    }
    /** Every session served, per restaurant, for the kitchen screens' check. */
    const sessionsServed = new Map<string, string[]>(restaurants.map((restaurant) => [restaurant.restaurantId, []]));

    /** One round at a table: a new session, its guests from the menu to the bill, its end state checked. */
    async function serveTable(restaurant: (typeof restaurants)[number], r: number, t: number, round: number, seated?: { tableId: string; tableCode: string }) {
      const owner = restaurant.owner;
      const mode = t % 2 === 0 ? 'FAMILY' : 'INDIVIDUAL';
      let table: { tableId: string; tableCode: string; pin: string; sessionId: string };
      if (seated === undefined) table = await openTable(endpoints, owner, `Table ${t + 1}`, mode);
      else {
        const opened = await measure(
          'open session',
          201,
          call(endpoints.url, 'POST', `/v1/restaurants/${owner.restaurantId}/tables/${seated.tableId}/sessions`, { token: owner.token, body: { mode } }),
          alreadyDone('SESSION_ALREADY_OPEN'),
        );
        table = { ...seated, ...(await openedSession(endpoints, owner, opened)) };
      }
      sessionsServed.get(restaurant.restaurantId)?.push(table.sessionId);
      const kitchens = kitchenSockets.get(restaurant.restaurantId) as BenchSocket[];

      const guests = await Promise.all(
        Array.from({ length: options.guests }, async (_, g) => {
          const ip = `10.${r}.${t}.${(round * options.guests + g) % 250 + 1}`;
          await think();
          const menu = await measure('get menu', 200, call(endpoints.url, 'GET', `/v1/restaurants/${restaurant.restaurantId}/menu`, { ip }));
          const joined = await measure(
            'join',
            201,
            call(endpoints.url, 'POST', '/v1/sessions/join', { ip, body: { tableCode: table.tableCode, pin: table.pin, guestName: `Guest ${g + 1}` } }),
          );
          const connectStarted = performance.now();
          const socket = await openSocket(joined.body.token);
          recorder.record('websocket connect', connectStarted, performance.now(), true);
          return { token: joined.body.token as string, guestId: joined.body.guestId as string, ip, socket, dishes: availableDishes(menu.body), cartVersion: 0 };
        }),
      );
      const tableSockets = guests.map((guest) => guest.socket);

      await Promise.all(
        guests.map(async (guest, g) => {
          for (let l = 0; l < options.lines; l++) {
            await think();
            const dish = guest.dishes[(g * options.lines + l) % guest.dishes.length];
            const added = await measure('cart add', 201, call(endpoints.url, 'POST', '/v1/cart/lines', { token: guest.token, ip: guest.ip, body: { itemId: dish.itemId, quantity: 1 + (l % 2) } }));
            guest.cartVersion = added.body.version;
            awaitMessage('cart.updated', `cart:${added.body.version}`, [cartSubject(table.sessionId)], added.endedAt, mode === 'FAMILY' ? tableSockets : [guest.socket]);
          }
        }),
      );

      const placers = mode === 'FAMILY' ? guests.slice(0, 1) : guests;
      const placements: { key: string; orderId: string }[] = [];
      const placed = await Promise.all(
        placers.map(async (guest) => {
          await think();
          let cartVersion = guest.cartVersion;
          if (mode === 'FAMILY') cartVersion = (await measure('get cart', 200, call(endpoints.url, 'GET', '/v1/cart', { token: guest.token, ip: guest.ip }))).body.version;
          const key = randomUUID();
          const place = call(endpoints.url, 'POST', '/v1/orders', { token: guest.token, ip: guest.ip, headers: { 'idempotency-key': key }, body: { cartVersion } });
          const order = await measure('place order', 201, place);
          orders++;
          placements.push({ key, orderId: order.body.orderId });
          const receivers = mode === 'FAMILY' ? tableSockets : [guest.socket];
          awaitMessage('order.placed / ticket.created', `placed:${order.body.orderId}`, [orderSubject(order.body.orderId)], order.endedAt, [...receivers, ...kitchens]);
          const replay = await measure('place order (replay)', 201, place);
          placements.push({ key, orderId: replay.body.orderId });
          return { order: order.body, receivers };
        }),
      );

      // The waiter fires the rest of the meal: every held line of the table goes to the kitchen at once.
      await think();
      const fired = await measure('fire course', 200, call(endpoints.url, 'POST', `/v1/restaurants/${restaurant.restaurantId}/sessions/${table.sessionId}/fire`, { token: owner.token, body: { course: 9 } }));
      for (const { order, receivers } of placed) {
        for (const line of order.lines.filter((held: { status: string }) => held.status === 'HELD')) {
          awaitMessage('order.updated / ticket.updated', `line:${order.orderId}:${line.lineId}:QUEUED`, [orderSubject(order.orderId)], fired.endedAt, [...receivers, ...kitchens]);
        }
      }

      /** One bump of a whole ticket (a kitchen screen's to READY, a waiter's to SERVED), heard for every line. */
      const bump = async (order: (typeof placed)[number]['order'], receivers: BenchSocket[], token: string, to: 'READY' | 'SERVED') => {
        await think();
        const bumped = await measure(
          'bump ticket',
          200,
          call(endpoints.url, 'POST', `/v1/restaurants/${restaurant.restaurantId}/kitchen/orders/${order.orderId}/bump`, { token, body: { to } }),
          alreadyDone('INVALID_TRANSITION'),
        );
        for (const line of order.lines) awaitMessage('order.updated / ticket.updated', `line:${order.orderId}:${line.lineId}:${to}`, [orderSubject(order.orderId)], bumped.endedAt, [...receivers, ...kitchens]);
      };

      // The kitchen cooks each ticket as its screen does: a tap starts the first dish, one bump sends the whole ticket to the pass.
      await Promise.all(
        placed.map(async ({ order, receivers }, o) => {
          const kitchen = restaurant.kitchens[o % restaurant.kitchens.length] as StaffLogin;
          const first = order.lines[0];
          await think();
          const started = await measure(
            'line transition',
            200,
            call(endpoints.url, 'PATCH', `/v1/restaurants/${restaurant.restaurantId}/kitchen/orders/${order.orderId}/lines/${first.lineId}`, { token: kitchen.token, body: { status: 'IN_PROGRESS' } }),
            alreadyDone('INVALID_TRANSITION'),
          );
          awaitMessage('order.updated / ticket.updated', `line:${order.orderId}:${first.lineId}:IN_PROGRESS`, [orderSubject(order.orderId)], started.endedAt, [...receivers, ...kitchens]);
          await bump(order, receivers, kitchen.token, 'READY');
        }),
      );

      // The waiter runs the food: one bump serves the whole ticket.
      await Promise.all(placed.map(({ order, receivers }) => bump(order, receivers, owner.token, 'SERVED')));

      // The table asks for the bill; the floor acknowledges it and the table hears so.
      const asking = guests[0] as (typeof guests)[number];
      await think();
      const request = await measure(
        'service request',
        201,
        call(endpoints.url, 'POST', '/v1/session/requests', { token: asking.token, ip: asking.ip, body: { type: 'REQUEST_BILL' } }),
        alreadyDone('REQUEST_ALREADY_OPEN'),
      );
      const requestId = request.status === 201 ? (request.body.requestId as string) : await openRequestOf(table.sessionId);
      const acknowledged = await measure(
        'acknowledge request',
        200,
        call(endpoints.url, 'POST', `/v1/restaurants/${restaurant.restaurantId}/service-requests/${requestId}/ack`, { token: owner.token }),
        alreadyDone('INVALID_TRANSITION'),
      );
      awaitMessage('service.acknowledged', `service:${requestId}`, [serviceRequestSubject(requestId)], acknowledged.endedAt, tableSockets);
      rounds++;

      /** The table's end state, once its messages have arrived (or 10 s have passed); its requests are not part of the load's figures. */
      const check = async (deadline: number) => {
        await Promise.all(tableSockets.map((socket) => socket.waitForAll(keysFor(socket), deadline)));
        const stored = await endState.checkOrders(table.sessionId, placements);
        for (const [g, guest] of guests.entries()) {
          const mine = mode === 'FAMILY' ? stored : stored.filter((order) => order.placedBy === guest.guestId);
          const rest = await untilAnswered(call(endpoints.url, 'GET', '/v1/orders', { token: guest.token, ip: guest.ip }), retries);
          await endState.checkGuest(`table ${r + 1}.${t + 1} round ${round + 1} guest ${g + 1}`, guest.socket, mine, viewOf(rest.body.orders ?? []) as OrdersView);
        }
      };
      return { table, sockets: tableSockets, check };
    }

    async function openRequestOf(sessionId: string): Promise<string> {
      const restaurant = restaurants.find((candidate) => sessionsServed.get(candidate.restaurantId)?.includes(sessionId)) as (typeof restaurants)[number];
      const open = await measure('list service requests', 200, call(endpoints.url, 'GET', `/v1/restaurants/${restaurant.restaurantId}/service-requests?status=OPEN`, { token: restaurant.owner.token }));
      return (open.body.requests as { requestId: string; sessionId: string }[]).find((request) => request.sessionId === sessionId)?.requestId as string;
    }

    /** A table slot: one round, or in a soak, rounds until the time is up (closing each session, closing its phones' sockets). */
    const tableSlots = restaurants.flatMap((restaurant, r) =>
      Array.from({ length: options.tables }, async (_, t) => {
        let seated: { tableId: string; tableCode: string } | undefined;
        for (let round = 0; round === 0 || performance.now() < soakUntil; round++) {
          const { table, sockets, check } = await serveTable(restaurant, r, t, round, seated);
          seated = table;
          if (options.soakSeconds === undefined) return check;
          await check(performance.now() + 10_000);
          await measure('close session', 200, call(endpoints.url, 'POST', `/v1/restaurants/${restaurant.restaurantId}/sessions/${table.sessionId}/close`, { token: restaurant.owner.token }));
          for (const socket of sockets) socket.close();
          openSockets -= sockets.length;
        }
      }),
    );
    const checks = await Promise.all(tableSlots);
    const wallSeconds = (performance.now() - started) / 1000;
    clearTimeout(restartTimer);
    await restarting;
    events.loadDone?.();

    // Every expected message, while they still come (a fan-out behind under faults drains for a while):
    // until 10 s pass without one, or 3 minutes in all; then the end state of the tables (in one round) and of the kitchen screens.
    const giveUp = performance.now() + 180_000;
    let deadline = performance.now();
    do {
      deadline = Math.min(giveUp, Math.max(performance.now(), BenchSocket.lastMessageAt) + 10_000);
      await Promise.all(allSockets.map((socket) => socket.waitForAll(keysFor(socket), deadline)));
    } while (allSockets.some((socket) => keysFor(socket).some((key) => !socket.firstSeen.has(key))) && BenchSocket.lastMessageAt + 10_000 > deadline && deadline < giveUp);
    // The load's traffic, before the checks' own syncs.
    const billedMessages = allSockets.reduce((sum, socket) => sum + socket.billedMessages, 0);
    for (const check of checks) await check?.(deadline);
    for (const restaurant of restaurants) {
      // A soak serves thousands of sessions: read them a few at a time, not all at once.
      const served: Order[] = [];
      await forEachBounded(sessionsServed.get(restaurant.restaurantId) ?? [], 8, async (sessionId) => {
        served.push(...(await listSessionOrders(sessionId)));
      });
      for (const [k, socket] of (kitchenSockets.get(restaurant.restaurantId) ?? []).entries()) {
        await endState.checkKitchen(`${restaurant.restaurantId} kitchen screen ${k + 1}`, socket, restaurant.restaurantId, served);
      }
    }

    for (const expectation of expectations) {
      for (const socket of expectation.sockets) {
        if (!socket.firstSeen.has(expectation.key)) endState.missed(expectation.kind, expectation.subjects, `${expectation.kind} ${expectation.key}`, socket, expectation.writtenAt);
      }
    }
    await endState.accountForGaps(startedAt);
    const kinds = [...new Set(expectations.map((e) => e.kind))];
    const fanout = kinds.map((kind) => {
      const latencies: number[] = [];
      for (const expectation of expectations.filter((e) => e.kind === kind)) {
        for (const socket of expectation.sockets) {
          const seen = socket.firstSeen.get(expectation.key);
          if (seen !== undefined) latencies.push(seen - expectation.writtenAt);
        }
      }
      latencies.sort((a, b) => a - b);
      return {
        kind,
        deliveries: latencies.length,
        deadLettered: endState.explained(kind, 'dead letter'),
        afterOutage: endState.explained(kind, 'outage'),
        lost: endState.explained(kind, 'nothing'),
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
      };
    });
    const kitchenCount = restaurants.length * options.kitchens;
    return {
      recorder,
      requestIds,
      fanout,
      orders,
      rounds,
      sockets: {
        guests: allSockets.length - kitchenCount,
        kitchens: kitchenCount,
        billedMessages,
      },
      retries,
      endState,
      reconnections: allSockets.reduce((sum, socket) => sum + socket.outages.length, 0),
      restart,
      wallSeconds,
    };
  } finally {
    clearInterval(ticker);
    if (sampler) clearInterval(sampler);
    clearTimeout(restartTimer);
    for (const socket of allSockets) socket.close();
  }
}
