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

  it('prices 1,000 orders from the invocations, their units as reported, leaving set-up out', () => {
    const { lines, total, dynamoDb } = costPer1000Orders({
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
    });
    // Keep-alive per 1,000 orders: 2,000 phones × 12 pings (60 minutes, one per 5 silent ones); 3 screens × 180 syncs (12 h, one per 4 minutes) × 1,000 / 300 orders.
    expect([PING_AFTER_SILENT_MS, KITCHEN_RESYNC_MS]).toEqual([5 * 60_000, 4 * 60_000]);
    const [pings, syncs] = [2000 * 12, 1800];
    const dollars = (item: string) => lines.find((line) => line.item === item)?.dollars;
    expect(dollars('Lambda requests')).toBeCloseTo(((3000 + pings + syncs) / 1e6) * PRICES.lambdaRequestsPerMillion, 10);
    // Each invocation billed rounded up to the millisecond: 5 + 41 + 10 ms at 1 GB, a thousand times; a ping 3 ms, a sync 31.
    expect(dollars('Lambda compute (arm64)')).toBeCloseTo((56 + (pings * 3 + syncs * 31) / 1000) * PRICES.lambdaArmGbSecond, 10);
    expect(dollars('API Gateway REST')).toBeCloseTo((1000 / 1e6) * PRICES.restRequestsPerMillion, 10);
    expect(dollars('DynamoDB writes (on demand)')).toBeCloseTo(((1 + 6) * 1000 / 1e6) * PRICES.dynamoDbWriteUnitsPerMillion, 10);
    expect(dollars('DynamoDB reads (on demand)')).toBeCloseTo(((5.5 * 1000 + syncs * 5) / 1e6) * PRICES.dynamoDbReadUnitsPerMillion, 10);
    // The load's 3 frames a thousand times, and a ping's and a sync's two frames each.
    expect(dollars('API Gateway WebSocket messages')).toBeCloseTo(((3000 + 2 * (pings + syncs)) / 1e6) * PRICES.webSocketMessagesPerMillion, 10);
    const minutes = 2 * ASSUMPTIONS.guestMinutesPerVisit * 1000 + (3 * ASSUMPTIONS.kitchenMinutesPerDay * 1000) / ASSUMPTIONS.ordersPerRestaurantDay;
    expect(dollars('API Gateway WebSocket connection minutes')).toBeCloseTo((minutes / 1e6) * PRICES.webSocketConnectionMinutesPerMillion, 10);
    expect(total).toBeCloseTo(lines.reduce((sum, line) => sum + line.dollars, 0), 10);
    expect(dynamoDb).toBeGreaterThan(0);
    expect(dynamoDb).toBeLessThan(total);
  });
});
