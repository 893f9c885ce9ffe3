import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { processCpuTicks } from '../../lib/local/runtime-process';
import type { RuntimeProcess } from '../../lib/local/runtime-process';
import { BenchSocket, timedCall } from './clients';
import { availableDishes, expectStatus, openTable, setUpRestaurant } from './load';
import type { Endpoints } from './load';
import { percentile } from './stats';

export interface FanoutScale {
  guestSockets: number;
  kitchenSockets: number;
  /** After the placement's HTTP response: when the first, the median, the 99th percentile and the last socket had the message. */
  firstMs: number;
  p50Ms: number;
  p99Ms: number;
  allMs: number;
  missing: number;
  /**
   * Where the machine's CPU went from the order's cart add and placement until the last socket had
   * it: the share of all cores busy, and of that busy time the runtime's (its gateways and function
   * instances) and this load generator's (its sockets); DynamoDB Local and the system had the rest.
   * NaN without /proc.
   */
  cpu: { cores: number; busy: number; runtime: number; bench: number };
}

/** The machine's busy and total CPU time in clock ticks, from the first line of /proc/stat (NaN without it). */
function machineCpuTicks(): { busy: number; total: number } {
  try {
    // user nice system idle iowait irq softirq steal
    const ticks = (readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '').trim().split(/\s+/).slice(1, 9).map(Number);
    const total = ticks.reduce((sum, tick) => sum + tick, 0);
    return { busy: total - (ticks[3] ?? 0) - (ticks[4] ?? 0), total };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

/** CPU ticks of the machine, the runtime and this process, to be compared with a later sample. */
const cpuSample = (runtime: Pick<RuntimeProcess, 'cpuTicks'>) => ({ machine: machineCpuTicks(), runtime: runtime.cpuTicks(), bench: processCpuTicks('self') });

/** A token holds at most 5 sockets (API.md, WebSocket limits); a session at most 20 guests. */
const SOCKETS_PER_TOKEN = 5;
const MAX_TABLE_SOCKETS = 20 * SOCKETS_PER_TOKEN;

/**
 * One order (after an unmeasured first one) in a restaurant with `sockets` connections that must all
 * hear of it: the phones of one FAMILY table (half the sockets, at most a full table: 20 guests with 5
 * sockets each, as guests with several tabs), the rest kitchen screens (one kitchen account per 5).
 * Measures how long until every socket has the order.
 */
export async function measureFanoutScale(endpoints: Endpoints & Pick<RuntimeProcess, 'cpuTicks'>, sockets: number): Promise<FanoutScale> {
  const guestSockets = Math.min(MAX_TABLE_SOCKETS, Math.ceil(sockets / 2));
  const kitchenSockets = sockets - guestSockets;
  const restaurant = await setUpRestaurant(endpoints, Math.max(1, Math.ceil(kitchenSockets / SOCKETS_PER_TOKEN)), 'Fan-out Bistro');
  const table = await openTable(endpoints, restaurant.owner, 'Long table', 'FAMILY');
  const open: BenchSocket[] = [];
  try {
    const tokens: string[] = [];
    for (let g = 0; g < Math.ceil(guestSockets / SOCKETS_PER_TOKEN); g++) {
      const joined = await expectStatus(() => timedCall(endpoints.url, 'POST', '/v1/sessions/join', { ip: '10.201.0.1', body: { tableCode: table.tableCode, pin: table.pin } }), 201);
      tokens.push(joined.body.token);
    }
    for (let i = 0; i < guestSockets; i++) open.push(await BenchSocket.open(endpoints.webSocketUrl, tokens[Math.floor(i / SOCKETS_PER_TOKEN)] as string));
    for (let i = 0; i < kitchenSockets; i++) {
      open.push(await BenchSocket.open(endpoints.webSocketUrl, (restaurant.kitchens[Math.floor(i / SOCKETS_PER_TOKEN)] as { token: string }).token));
    }

    // The sockets' first syncs (900 kitchen screens reading the active tickets) belong to their connects, not to the order.
    await Promise.all(open.map((socket) => socket.synced));

    const menu = (await expectStatus(() => timedCall(endpoints.url, 'GET', `/v1/restaurants/${restaurant.restaurantId}/menu`), 200)).body;
    const itemId = availableDishes(menu)[0].itemId as string;
    const token = tokens[0] as string;
    /** One order, awaited on every socket (until 15 s have passed): its response and what the sockets wait for. */
    const placeOne = async () => {
      const added = await expectStatus(() => timedCall(endpoints.url, 'POST', '/v1/cart/lines', { token, body: { itemId, quantity: 1 } }), 201);
      const placed = await expectStatus(
        () => timedCall(endpoints.url, 'POST', '/v1/orders', { token, headers: { 'idempotency-key': randomUUID() }, body: { cartVersion: added.body.version } }),
        201,
      );
      const key = `placed:${placed.body.orderId}`;
      const deadline = performance.now() + 15_000;
      await Promise.all(open.map((socket) => socket.waitForAll([key], deadline)));
      return { placed, key };
    };
    // A first order, not measured, starts the delivery function's instances (each imports its bundle, as
    // a Lambda init does): the figure is a warm restaurant's, as in the service's busy hours.
    await placeOne();
    const before = cpuSample(endpoints);
    const { placed, key } = await placeOne();
    const after = cpuSample(endpoints);
    const busyTicks = after.machine.busy - before.machine.busy;
    const latencies = open.flatMap((socket) => {
      const seen = socket.firstSeen.get(key);
      return seen === undefined ? [] : [seen - placed.endedAt];
    });
    latencies.sort((a, b) => a - b);
    return {
      guestSockets,
      kitchenSockets,
      firstMs: latencies[0] ?? Number.NaN,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      allMs: latencies.length === open.length ? (latencies.at(-1) as number) : Number.NaN,
      missing: open.length - latencies.length,
      cpu: {
        cores: cpus().length,
        busy: busyTicks / (after.machine.total - before.machine.total),
        runtime: (after.runtime - before.runtime) / busyTicks,
        bench: (after.bench - before.bench) / busyTicks,
      },
    };
  } finally {
    for (const socket of open) socket.close();
  }
}
