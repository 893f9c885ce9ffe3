import { BenchSocket, timedCall } from './clients';
import type { Invocation, InvocationLog } from './invocations';
import { expectStatus, openTable, setUpRestaurant } from './load';
import type { Endpoints } from './load';

/** What ending one table visit costs, measured: every invocation it causes and the frames its phones hear. */
export interface VisitEndSample {
  phones: number;
  invocations: Invocation[];
  frames: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How a visit ends, beyond the load (whose sessions stay open for the end-state checks): staff close
 * the session, the fan-out tells its `phones` and closes their sockets, and `$disconnect` forgets
 * each of them. Measured once on an idle runtime, from the close request until every phone's
 * `$disconnect` has run; the cost model counts it once per visit.
 */
export async function measureVisitEnd(endpoints: Endpoints, log: InvocationLog, phones: number): Promise<VisitEndSample> {
  const restaurant = await setUpRestaurant(endpoints, 1, 'Visit-end Bistro');
  const table = await openTable(endpoints, restaurant.owner, 'Table 1', 'FAMILY');
  const sockets: BenchSocket[] = [];
  try {
    for (let p = 0; p < phones; p++) {
      const joined = await expectStatus(() => timedCall(endpoints.url, 'POST', '/v1/sessions/join', { ip: `10.203.0.${p + 1}`, body: { tableCode: table.tableCode, pin: table.pin } }), 201);
      sockets.push(await BenchSocket.open(endpoints.webSocketUrl, joined.body.token as string));
    }
    // The syncs the sockets sent on opening are answered.
    await pause(1500);
    const from = log.all.length;
    const framesBefore = sockets.reduce((sum, socket) => sum + socket.billedMessages, 0);
    await expectStatus(() => timedCall(endpoints.url, 'POST', `/v1/restaurants/${restaurant.restaurantId}/sessions/${table.sessionId}/close`, { token: restaurant.owner.token }), 200);
    const disconnected = () => log.all.slice(from).filter((invocation) => invocation.route === '$disconnect').length;
    const giveUp = performance.now() + 30_000;
    while (disconnected() < phones) {
      if (performance.now() > giveUp) throw new Error(`visit end: ${disconnected()} of ${phones} phones disconnected within 30 s of the session's close`);
      await pause(100);
    }
    return { phones, invocations: log.all.slice(from), frames: sockets.reduce((sum, socket) => sum + socket.billedMessages, 0) - framesBefore };
  } finally {
    for (const socket of sockets) socket.close();
  }
}
