#!/usr/bin/env node
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { parseArgs, promisify } from 'node:util';
import WebSocket from 'ws';
import { stageConfig } from '../lib/stage-config';
import { stageOutputs } from '../lib/stage-outputs';

const usage = `npm run smoke -- (--stage <name> | --api <rest url> --ws <websocket url>)

Runs the whole guest and kitchen flow against a running stack over real HTTP(S) and WebSocket:
staff login, table, the guest app its QR code opens (its security headers and config.json), session,
join, cart, idempotent order and its replay, every kitchen move, the
messages both sides receive, and closing the session. Prints each step with its latency; exits 1 on
the first failure, after closing the session it opened.

  --stage <name>   a deployed stage: URLs from its stack outputs, with your AWS credentials
  --api, --ws      the REST API's base URL and the WebSocket URL (e.g. http://localhost:3000 and
                   ws://localhost:3001 for npm start); without --stage the smoke restaurant is
                   created in the local stack's DynamoDB (npm run admin's default target)

The smoke test's own restaurant ("Smoke test", owner "smoke-owner") is created with npm run admin the
first time and reused after; its credentials are kept in .local/smoke/<stage or local>.json.
`;

const { values } = parseArgs({
  options: {
    stage: { type: 'string' },
    api: { type: 'string' },
    ws: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (!values.stage && !(values.api && values.ws)) {
  console.error(`Give --stage, or --api and --ws.\n\n${usage}`);
  process.exit(2);
}

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON from the wire, checked step by step */

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

let stepNumber = 0;
/** Runs one step, printing its name, latency and outcome; a failure stops the run. */
async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  stepNumber++;
  const started = performance.now();
  try {
    const result = await run();
    console.log(`✔ ${String(stepNumber).padStart(2)} ${name.padEnd(44)} ${Math.round(performance.now() - started).toString().padStart(5)} ms`);
    return result;
  } catch (error) {
    console.log(`✘ ${String(stepNumber).padStart(2)} ${name.padEnd(44)} ${Math.round(performance.now() - started).toString().padStart(5)} ms`);
    throw error;
  }
}

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

function api(baseUrl: string) {
  const root = baseUrl.replace(/\/$/, '');
  return async (method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${root}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await response.text();
    return { status: response.status, body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text, headers: response.headers };
  };
}

function expectStatus(answer: Answer, status: number, what: string): any {
  check(answer.status === status, `${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A WebSocket client that keeps every message and waits for the one it needs. */
class Socket {
  readonly messages: any[] = [];
  private wake: (() => void)[] = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.messages.push(JSON.parse(data.toString()));
      for (const wake of this.wake.splice(0)) wake();
    });
  }

  static open(url: string, token: string): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${url.replace(/\/$/, '')}/?token=${encodeURIComponent(token)}`);
      ws.once('open', () => resolve(new Socket(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`WebSocket handshake refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  async waitFor(what: string, predicate: (message: any) => boolean, timeoutMs = 10_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${timeoutMs} ms; received ${JSON.stringify(this.messages.map((m) => m.type))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.ws.terminate();
  }
}

interface SmokeRestaurant {
  restaurantId: string;
  username: string;
  password: string;
}

const run = promisify(execFile);
const target = values.stage ? stageConfig(values.stage).stage : 'local';
const restaurantFile = `.local/smoke/${target}.json`;

/** Creates the smoke restaurant with the admin CLI (the one way restaurants are made) and remembers it. */
async function createSmokeRestaurant(): Promise<SmokeRestaurant> {
  const password = randomBytes(18).toString('base64url');
  // The password goes on stdin: never in the process list, and one that starts with "-" is not read as an option.
  const args = ['run', '--silent', 'admin', '--', 'create-restaurant', '--name', 'Smoke test', '--currency', 'EUR', '--owner', 'smoke-owner', '--password-stdin'];
  const pending = run('npm', values.stage ? [...args, '--stage', values.stage] : args);
  pending.child.stdin?.end(`${password}\n`);
  const { stdout } = await pending;
  const created = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { restaurantId?: string };
  check(created.restaurantId, `npm run admin printed no restaurant: ${stdout}`);
  const restaurant = { restaurantId: created.restaurantId, username: 'smoke-owner', password };
  await mkdir('.local/smoke', { recursive: true });
  await writeFile(restaurantFile, JSON.stringify(restaurant), { mode: 0o600 });
  return restaurant;
}

async function main(): Promise<void> {
  const urls = values.stage
    ? await step(`read ${values.stage}'s stack outputs`, () => stageOutputs(stageConfig(values.stage as string).stage))
    : undefined;
  const restUrl = values.api ?? (urls?.restApiUrl as string);
  const wsUrl = values.ws ?? (urls?.webSocketUrl as string);
  const call = api(restUrl);
  console.log(`smoke test of ${restUrl} and ${wsUrl}`);

  const login = (restaurant: SmokeRestaurant) =>
    call('POST', '/v1/staff/login', { body: { restaurantId: restaurant.restaurantId, username: restaurant.username, password: restaurant.password } });

  const { restaurant, staffToken } = await step('staff login (smoke restaurant)', async () => {
    const known = await readFile(restaurantFile, 'utf8').then((text) => JSON.parse(text) as SmokeRestaurant, () => undefined);
    const answer = known ? await login(known) : undefined;
    if (known && answer?.status === 200) return { restaurant: known, staffToken: answer.body.token as string };
    const created = await createSmokeRestaurant();
    return { restaurant: created, staffToken: expectStatus(await login(created), 200, 'login').token as string };
  });
  const base = `/v1/restaurants/${restaurant.restaurantId}`;
  const staff = { token: staffToken };

  const item = await step('menu item (found or created)', async () => {
    const menu = expectStatus(await call('GET', `${base}/menu`), 200, 'public menu');
    const found = menu.categories.flatMap((c: any) => c.items).find((i: any) => i.name === 'Smoke soup' && i.available);
    if (found) return found;
    const body = { name: 'Smoke soup', category: 'Starters', priceCents: 650, station: 'KITCHEN', allergens: ['celery'] };
    return expectStatus(await call('POST', `${base}/menu/items`, { ...staff, body }), 201, 'create menu item');
  });

  const table = await step('table (found or created)', async () => {
    const { tables } = expectStatus(await call('GET', `${base}/tables`, staff), 200, 'list tables');
    const found = tables.find((t: any) => t.name === 'Smoke table');
    if (found?.openSessionId) {
      // A run that was killed before closing: close its session first, so this run starts clean.
      expectStatus(await call('POST', `${base}/sessions/${found.openSessionId}/close`, staff), 200, 'close a leftover session');
    }
    return found ?? expectStatus(await call('POST', `${base}/tables`, { ...staff, body: { name: 'Smoke table' } }), 201, 'create table');
  });

  await step("the table's QR code opens the guest app", async () => {
    const page = await fetch(table.orderUrl);
    check(page.status === 200 && page.headers.get('content-type')?.includes('text/html'), `${table.orderUrl} answered ${page.status} ${page.headers.get('content-type')}`);
    check(/<script type="module"[^>]*src="\/assets\//.test(await page.text()), `${table.orderUrl} is not the guest app`);
    check(page.headers.get('content-security-policy')?.includes("script-src 'self'"), `${table.orderUrl} has no Content-Security-Policy`);
    const config = (await (await fetch(new URL('/config.json', table.orderUrl))).json()) as { apiUrl: string; webSocketUrl: string };
    const bare = (url: string) => url.replace(/\/$/, '');
    check(bare(config.apiUrl) === bare(restUrl) && bare(config.webSocketUrl) === bare(wsUrl), `the guest app's config.json names ${JSON.stringify(config)}, not this stack`);
  });

  const kitchen = await step('kitchen screen connects and syncs', async () => {
    const socket = await Socket.open(wsUrl, staffToken);
    socket.send({ action: 'sync' });
    await socket.waitFor('kitchen snapshot', (m) => m.type === 'snapshot');
    return socket;
  });

  let sessionId: string | undefined;
  let guest: Socket | undefined;
  try {
    const session = await step('open a FAMILY session', async () =>
      expectStatus(await call('POST', `${base}/tables/${table.tableId}/sessions`, { ...staff, body: { mode: 'FAMILY' } }), 201, 'open session'),
    );
    sessionId = session.sessionId as string;

    const joined = await step('guest joins with the PIN', async () =>
      expectStatus(await call('POST', '/v1/sessions/join', { body: { tableCode: table.tableCode, pin: session.pin, guestName: 'Smoke' } }), 201, 'join'),
    );
    const guestAuth = { token: joined.token as string };

    guest = await step('guest connects and syncs', async () => {
      const socket = await Socket.open(wsUrl, joined.token);
      socket.send({ action: 'sync' });
      await socket.waitFor('guest snapshot', (m) => m.type === 'snapshot');
      return socket;
    });

    const cart = await step('add to cart (price from the server)', async () => {
      const body = expectStatus(await call('POST', '/v1/cart/lines', { ...guestAuth, body: { itemId: item.itemId, quantity: 2, notes: 'smoke test' } }), 201, 'add line');
      check(body.totalCents === 2 * item.priceCents, `cart total ${body.totalCents}, expected ${2 * item.priceCents}`);
      return body;
    });
    await step('guest hears cart.updated', () => (guest as Socket).waitFor('cart.updated', (m) => m.type === 'cart.updated' && m.data.cart.version === cart.version));

    const key = `smoke-${randomUUID()}`;
    const placeOrder = () => call('POST', '/v1/orders', { ...guestAuth, body: { cartVersion: cart.version }, headers: { 'Idempotency-Key': key } });
    const order = await step('place the order', async () => expectStatus(await placeOrder(), 201, 'place order'));
    await step('replay it: same order, no second one', async () => {
      const replay = await placeOrder();
      expectStatus(replay, 201, 'replay');
      check(replay.headers.get('idempotent-replayed') === 'true', 'replay lacks Idempotent-Replayed: true');
      check(replay.body.orderId === order.orderId, `replay made order ${replay.body.orderId}, not ${order.orderId}`);
      const { orders } = expectStatus(await call('GET', '/v1/orders', guestAuth), 200, 'list orders');
      check(orders.length === 1, `the session has ${orders.length} orders, expected 1`);
    });
    await step('guest hears order.placed', () => (guest as Socket).waitFor('order.placed', (m) => m.type === 'order.placed' && m.data.order.orderId === order.orderId));
    await step('kitchen hears ticket.created, price-free', async () => {
      const message = await kitchen.waitFor('ticket.created', (m) => m.type === 'ticket.created' && m.data.ticket.orderId === order.orderId);
      check(!/cents|price|total/i.test(JSON.stringify(message)), 'the kitchen message carries a price');
    });

    const line = order.lines[0];
    for (const status of ['IN_PROGRESS', 'READY', 'SERVED']) {
      await step(`kitchen moves the line to ${status}`, async () => {
        const moved = await call('PATCH', `${base}/kitchen/orders/${order.orderId}/lines/${line.lineId}`, { ...staff, body: { status } });
        check(expectStatus(moved, 200, `move to ${status}`).status === status, `line is ${moved.body.status}`);
        await (guest as Socket).waitFor(`order.updated (${status})`, (m) => m.type === 'order.updated' && m.data.lines.some((l: any) => l.lineId === line.lineId && l.status === status));
        await kitchen.waitFor(`ticket.updated (${status})`, (m) => m.type === 'ticket.updated' && m.data.ticket.lines.some((l: any) => l.lineId === line.lineId && l.status === status));
      });
    }

    // The scheduler path (CreateSchedule, PassRole, the timer's invoke and its write) only works deployed if its grants are right.
    await step('a timed 86 ends by itself; the guest hears it', async () => {
      const availableAgainAt = new Date(Date.now() + 3000).toISOString();
      expectStatus(await call('PATCH', `${base}/menu/items/${item.itemId}`, { ...staff, body: { availableAgainAt } }), 200, 'timed 86');
      await (guest as Socket).waitFor('menu.item.updated (86)', (m) => m.type === 'menu.item.updated' && m.data.itemId === item.itemId && !m.data.available);
      // EventBridge Scheduler runs a one-time schedule within seconds of its time; a minute is its worst case.
      await (guest as Socket).waitFor('menu.item.updated (back)', (m) => m.type === 'menu.item.updated' && m.data.itemId === item.itemId && m.data.available, 90_000);
    });
  } finally {
    // Whatever failed, the session this run opened is closed: nothing is left open on the stage.
    try {
      const id = sessionId;
      if (id) {
        await step('close the session', async () => expectStatus(await call('POST', `${base}/sessions/${id}/close`, staff), 200, 'close session'));
        const socket = guest;
        if (socket) await step('guest hears session.closed', () => socket.waitFor('session.closed', (m) => m.type === 'session.closed'));
      }
    } finally {
      guest?.close();
      kitchen.close();
    }
  }
}

try {
  await main();
  console.log('smoke test passed');
} catch (error) {
  console.error(`smoke test failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
