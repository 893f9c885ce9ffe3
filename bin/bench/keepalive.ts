import { randomUUID } from 'node:crypto';
import { BenchSocket, timedCall } from './clients';
import type { InvocationLog } from './invocations';
import { availableDishes, expectStatus, openTable, setUpRestaurant } from './load';
import type { Endpoints } from './load';
import { percentile } from './stats';

/** What one keep-alive message costs: its handler's time and reads, and the frames both ways. */
export interface KeepAliveCost {
  durationMs: number;
  readUnits: number;
  frames: number;
}

export interface KeepAliveSample {
  ping: KeepAliveCost;
  kitchenSync: KeepAliveCost;
  /** Active tickets while the kitchen screen synced. */
  tickets: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Active tickets on the kitchen screen while it syncs: a busy moment of a 300-order day. */
export const KEEP_ALIVE_TICKETS = 10;

/**
 * What keeping sockets open costs per message, measured one at a time on an idle runtime: a phone's
 * `ping`, and a kitchen screen's `sync` while `tickets` orders of three lines are active (a busy
 * moment). The cost model multiplies them by the apps' cadence over the hours sockets stay open.
 */
export async function measureKeepAlive(endpoints: Endpoints, log: InvocationLog, tickets: number, samples: number): Promise<KeepAliveSample> {
  const restaurant = await setUpRestaurant(endpoints, 1, 'Keep-alive Bistro');
  const table = await openTable(endpoints, restaurant.owner, 'Table 1', 'FAMILY');
  const joined = await expectStatus(() => timedCall(endpoints.url, 'POST', '/v1/sessions/join', { ip: '10.202.0.1', body: { tableCode: table.tableCode, pin: table.pin } }), 201);
  const token = joined.body.token as string;
  const dishes = availableDishes((await expectStatus(() => timedCall(endpoints.url, 'GET', `/v1/restaurants/${restaurant.restaurantId}/menu`), 200)).body);
  for (let t = 0; t < tickets; t++) {
    let version = 0;
    for (let l = 0; l < 3; l++) {
      const dish = dishes[(t * 3 + l) % dishes.length];
      version = (await expectStatus(() => timedCall(endpoints.url, 'POST', '/v1/cart/lines', { token, body: { itemId: dish.itemId, quantity: 1 } }), 201)).body.version;
    }
    await expectStatus(() => timedCall(endpoints.url, 'POST', '/v1/orders', { token, headers: { 'idempotency-key': randomUUID() }, body: { cartVersion: version } }), 201);
  }
  const phone = await BenchSocket.open(endpoints.webSocketUrl, token);
  const kitchen = await BenchSocket.open(endpoints.webSocketUrl, (restaurant.kitchens[0] as { token: string }).token);
  try {
    // The syncs both sockets sent on opening are answered (a sync a second at most per socket).
    await pause(1500);
    const from = log.all.length;
    const [phoneFrames, kitchenFrames] = [phone.billedMessages, kitchen.billedMessages];
    for (let s = 0; s < samples; s++) {
      await phone.ping();
      await kitchen.sync();
      await pause(1100);
    }
    // The runtime prints an invocation's line when it has answered: give the last ones a moment.
    await pause(500);
    const of = (route: string, frames: number): KeepAliveCost => {
      const runs = log.all.slice(from).filter((invocation) => invocation.function.startsWith('functions/ws/') && invocation.route === route);
      const durations = runs.map((invocation) => invocation.durationMs).sort((a, b) => a - b);
      return { durationMs: percentile(durations, 50), readUnits: runs.reduce((sum, invocation) => sum + invocation.readCapacityUnits, 0) / runs.length, frames: frames / samples };
    };
    return { ping: of('ping', phone.billedMessages - phoneFrames), kitchenSync: of('sync', kitchen.billedMessages - kitchenFrames), tickets };
  } finally {
    phone.close();
    kitchen.close();
  }
}
