import { randomUUID } from 'node:crypto';
import { startTableAccessProxy } from '../../lib/local/table-access-proxy';
import { RawBaseline } from './baseline';
import { timedCall } from './clients';
import type { TimedResponse } from './clients';
import { availableDishes, expectStatus, openTable, setUpRestaurant } from './load';
import type { Endpoints } from './load';
import { percentile } from './stats';

/** The guest cap of a session (the restaurant default). */
const GUESTS_PER_SESSION = 20;

export const COMPARED_OPERATIONS = ['join', 'cart add', 'place order', 'line transition'] as const;
export type ComparedOperation = (typeof COMPARED_OPERATIONS)[number];

export interface Comparison {
  operation: ComparedOperation;
  ours: { p50: number; p99: number };
  raw: { p50: number; p99: number };
  /** Our API Gateway request ids, to attribute the runtime's invocation lines. */
  requestIds: string[];
}

const timed = async (work: () => Promise<void>) => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

/**
 * Each operation `samples` times, one at a time on an otherwise idle runtime: ours over HTTP, then
 * the raw calls it needs, alternately, so both see the same machine. No other load runs meanwhile.
 * The raw calls reach DynamoDB Local the way the functions' calls do, through the local IAM proxy (an
 * HTTP hop that AWS does not have, where IAM is checked inside DynamoDB): the ratio compares like with like.
 */
export async function compareWithRaw(endpoints: Endpoints, dynamoDbEndpoint: string, tableName: string, samples: number): Promise<Comparison[]> {
  const restaurant = await setUpRestaurant(endpoints, 1, 'Comparison Bistro');
  const kitchen = restaurant.kitchens[0] as { token: string };
  let table = await openTable(endpoints, restaurant.owner, 'Table 1', 'FAMILY');
  const dishes = availableDishes((await expectStatus(() => timedCall(endpoints.url, 'GET', `/v1/restaurants/${restaurant.restaurantId}/menu`), 200)).body);
  const access = await startTableAccessProxy(dynamoDbEndpoint, () => undefined);
  const raw = new RawBaseline(access.endpointFor('readWrite'), tableName);
  await raw.setUp();

  const ours = new Map<ComparedOperation, TimedResponse[]>(COMPARED_OPERATIONS.map((op) => [op, []]));
  const rawTimes = new Map<ComparedOperation, number[]>(COMPARED_OPERATIONS.map((op) => [op, []]));
  const run = async (operation: ComparedOperation, status: number, call: () => Promise<TimedResponse>, rawCall: () => Promise<void>) => {
    const response = await expectStatus(call, status);
    ours.get(operation)?.push(response);
    rawTimes.get(operation)?.push(await timed(rawCall));
    return response;
  };

  try {
    for (let i = 0; i < samples; i++) {
      // A session admits 20 guests: every 20 samples join a new table's.
      if (i > 0 && i % GUESTS_PER_SESSION === 0) table = await openTable(endpoints, restaurant.owner, `Table ${i / GUESTS_PER_SESSION + 1}`, 'FAMILY');
      const joined = await run(
        'join',
        201,
        () => timedCall(endpoints.url, 'POST', '/v1/sessions/join', { ip: '10.200.0.1', body: { tableCode: table.tableCode, pin: table.pin } }),
        () => raw.join(),
      );
      const token = joined.body.token as string;
      const added = await run(
        'cart add',
        201,
        () => timedCall(endpoints.url, 'POST', '/v1/cart/lines', { token, body: { itemId: dishes[i % dishes.length].itemId, quantity: 1 } }),
        () => raw.addCartLine(),
      );
      const placed = await run(
        'place order',
        201,
        () => timedCall(endpoints.url, 'POST', '/v1/orders', { token, headers: { 'idempotency-key': randomUUID() }, body: { cartVersion: added.body.version } }),
        () => raw.placeOrder(),
      );
      await run(
        'line transition',
        200,
        () =>
          timedCall(endpoints.url, 'PATCH', `/v1/restaurants/${restaurant.restaurantId}/kitchen/orders/${placed.body.orderId}/lines/${placed.body.lines[0].lineId}`, {
            token: kitchen.token,
            body: { status: 'IN_PROGRESS' },
          }),
        () => raw.moveLine(),
      );
    }
  } finally {
    raw.close();
    await access.close();
  }

  const figures = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  };
  return COMPARED_OPERATIONS.map((operation) => {
    const responses = ours.get(operation) ?? [];
    return {
      operation,
      ours: figures(responses.map((r) => r.endedAt - r.startedAt)),
      raw: figures(rawTimes.get(operation) ?? []),
      requestIds: responses.flatMap((r) => (r.requestId ? [r.requestId] : [])),
    };
  });
}
