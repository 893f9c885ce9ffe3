import { describe, expect, it } from 'vitest';
import { ASSUMPTIONS, PRICES, costPer1000Orders } from '../../bin/bench/cost';
import { KITCHEN_RESYNC_MS, PING_AFTER_SILENT_MS } from '../../shared/contract/keepalive';
import type { Invocation } from '../../bin/bench/invocations';
import { percentile } from '../../bin/bench/stats';

const invocation = (fn: string, route: string | undefined, requestId: string | undefined, durationMs: number, calls: [string, number][]): Invocation => ({
  function: fn,
  route,
  gatewayRequestId: requestId,
  durationMs,
  error: false,
  dynamoDbCalls: calls.map(([operation, capacityUnits]) => ({ operation, capacityUnits })),
  readCapacityUnits: 0,
  writeCapacityUnits: 0,
});

describe('benchmark arithmetic', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('prices 1,000 orders from the invocations, their units as reported, leaving set-up out, and the end of each visit as measured once', () => {
    const { lines, total, dynamoDb, visitEnd } = costPer1000Orders({
      invocations: [
        invocation('functions/auth/authorizer.ts', 'POST /v1/orders', 'r1', 4.2, [['GetItem', 1], ['GetItem', 1]]),
        invocation('functions/http/orders/index.ts', 'POST /v1/orders', 'r1', 40.1, [['PutItem', 1], ['BatchGetItem', 3], ['TransactWriteItems', 6]]),
        invocation('functions/streams/fanout.ts', undefined, undefined, 9.5, [['Query', 0.5]]),
        // Set-up: neither the login nor anything else of its request counts.
        invocation('functions/http/staff/index.ts', 'POST /v1/staff/login', 'r2', 90, [['UpdateItem', 1]]),
      ],
      orders: 1,
      memoryMb: 1024,
      webSocketMessages: 3,
      guestSockets: 2,
      kitchenScreensPerRestaurant: 3,
      keepAlive: { ping: { durationMs: 2.2, readUnits: 0, frames: 2 }, kitchenSync: { durationMs: 30.5, readUnits: 5, frames: 2 }, tickets: 10 },
      // One visit for the one order: its end (a close, its fan-out and two phones' disconnects) counts a thousand times.
      visits: 1,
      visitEnd: {
        phones: 2,
        frames: 2,
        invocations: [
          invocation('functions/auth/authorizer.ts', 'POST /v1/restaurants/{restaurantId}/sessions/{sessionId}/close', 'r3', 3.1, [['GetItem', 1]]),
          invocation('functions/http/sessions/index.ts', 'POST /v1/restaurants/{restaurantId}/sessions/{sessionId}/close', 'r3', 20.2, [['GetItem', 1], ['TransactWriteItems', 4]]),
          invocation('functions/streams/fanout.ts', undefined, undefined, 5.5, [['Query', 0.5]]),
          invocation('functions/ws/index.ts', '$disconnect', undefined, 4, [['GetItem', 1], ['BatchWriteItem', 3]]),
          invocation('functions/ws/index.ts', '$disconnect', undefined, 4, [['GetItem', 1], ['BatchWriteItem', 3]]),
        ],
      },
    });
    // Keep-alive per 1,000 orders: 2,000 phones × 12 pings (60 minutes, one per 5 silent ones); 3 screens × 180 syncs (12 h, one per 4 minutes) × 1,000 / 300 orders.
    expect([PING_AFTER_SILENT_MS, KITCHEN_RESYNC_MS]).toEqual([5 * 60_000, 4 * 60_000]);
    const [pings, syncs] = [2000 * 12, 1800];
    const dollars = (item: string) => lines.find((line) => line.item === item)?.dollars;
    // 3 invocations of the load and 5 of the visit's end, a thousand times each.
    expect(dollars('Lambda requests')).toBeCloseTo(((3000 + 5000 + pings + syncs) / 1e6) * PRICES.lambdaRequestsPerMillion, 10);
    // Each invocation billed rounded up to the millisecond at 1 GB, a thousand times: the load's 5 + 41 + 10 ms, the visit end's 4 + 21 + 6 + 4 + 4; a ping 3 ms, a sync 31.
    expect(dollars('Lambda compute (arm64)')).toBeCloseTo((56 + 39 + (pings * 3 + syncs * 31) / 1000) * PRICES.lambdaArmGbSecond, 10);
    // The placement and the close: one request each, however many functions ran for it.
    expect(dollars('API Gateway REST')).toBeCloseTo((2000 / 1e6) * PRICES.restRequestsPerMillion, 10);
    expect(dollars('DynamoDB writes (on demand)')).toBeCloseTo((((1 + 6) + (4 + 3 + 3)) * 1000 / 1e6) * PRICES.dynamoDbWriteUnitsPerMillion, 10);
    expect(dollars('DynamoDB reads (on demand)')).toBeCloseTo(((5.5 * 1000 + 4.5 * 1000 + syncs * 5) / 1e6) * PRICES.dynamoDbReadUnitsPerMillion, 10);
    // The load's 3 frames and the visit end's 2 a thousand times, and a ping's and a sync's two frames each.
    expect(dollars('API Gateway WebSocket messages')).toBeCloseTo(((3000 + 2000 + 2 * (pings + syncs)) / 1e6) * PRICES.webSocketMessagesPerMillion, 10);
    expect(visitEnd.perVisit).toEqual({ invocations: 5, restRequests: 1, frames: 2, writeUnits: 10 });
    expect(visitEnd.visits).toBe(1000);
    expect(visitEnd.dollars).toBeCloseTo(
      (5000 / 1e6) * PRICES.lambdaRequestsPerMillion +
        39 * PRICES.lambdaArmGbSecond +
        (1000 / 1e6) * PRICES.restRequestsPerMillion +
        (2000 / 1e6) * PRICES.webSocketMessagesPerMillion +
        (10_000 / 1e6) * PRICES.dynamoDbWriteUnitsPerMillion +
        (4500 / 1e6) * PRICES.dynamoDbReadUnitsPerMillion,
      10,
    );
    const minutes = 2 * ASSUMPTIONS.guestMinutesPerVisit * 1000 + (3 * ASSUMPTIONS.kitchenMinutesPerDay * 1000) / ASSUMPTIONS.ordersPerRestaurantDay;
    expect(dollars('API Gateway WebSocket connection minutes')).toBeCloseTo((minutes / 1e6) * PRICES.webSocketConnectionMinutesPerMillion, 10);
    expect(total).toBeCloseTo(lines.reduce((sum, line) => sum + line.dollars, 0), 10);
    expect(dynamoDb).toBeGreaterThan(0);
    expect(dynamoDb).toBeLessThan(total);
  });
});
