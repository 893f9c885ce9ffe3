import { describe, expect, it } from 'vitest';
import { ASSUMPTIONS, PRICES, costPer1000Orders } from '../../bin/bench/cost';
import type { Invocation } from '../../bin/bench/invocations';
import { measuredMix, simulateScale } from '../../bin/bench/scale';

/** A made-up order flow of two orders: every figure below follows from it by hand. */
const invocation = (fn: string, requestId: string, durationMs: number, calls: Invocation['dynamoDbCalls'], route?: string): Invocation => ({
  function: fn,
  gatewayRequestId: requestId,
  route,
  durationMs,
  error: false,
  dynamoDbCalls: calls,
  readCapacityUnits: 0,
  writeCapacityUnits: 0,
});
const flow: Invocation[] = [
  // Set-up (a login) does not count.
  invocation('functions/http/staff/login', 'r0', 500, [{ operation: 'PutItem', capacityUnits: 1, writes: ['TOKEN#'] }], 'POST /v1/staff/login'),
  // Two orders: each a placement (authorizer + handler) and a connect.
  ...[1, 2].flatMap((n) => [
    invocation('functions/auth/authorizer', `p${n}`, 9.2, [{ operation: 'GetItem', capacityUnits: 1 }]),
    invocation('functions/http/orders/place-order', `p${n}`, 99.5, [
      { operation: 'BatchGetItem', capacityUnits: 4 },
      { operation: 'TransactWriteItems', capacityUnits: 5, writes: ['SESSION#', 'SESSION#', 'ORDER_REF#', 'ACTIVE_ORDERS#', 'RESTAURANT#'] },
      { operation: 'PutItem', capacityUnits: 1, writes: ['AUDIT#'] },
    ], 'POST /v1/orders'),
    invocation('functions/ws/connect', `c${n}`, 20, [{ operation: 'TransactWriteItems', capacityUnits: 3, writes: ['CONNECTION#', 'CHANNEL#kitchen#', 'TOKEN#'] }], '$connect'),
  ]),
];

describe('the cost model', () => {
  it('prices 1,000 orders from the measured invocations, without the set-up', () => {
    // A keep-alive that costs nothing but its messages and invocations, counted in the keep-alive test.
    const free = { durationMs: 0, readUnits: 0, frames: 0 };
    const cost = costPer1000Orders({ invocations: flow, orders: 2, memoryMb: 512, webSocketMessages: 20, guestSockets: 2, kitchenScreensPerRestaurant: 1, keepAlive: { ping: free, kitchenSync: free, tickets: 0 }, visits: 0, visitEnd: { phones: 0, invocations: [], frames: 0 } });
    const line = (item: string) => cost.lines.find((l) => l.item === item);
    // 6 invocations for 2 orders: 3,000 per 1,000, and the keep-alive's.
    expect(line('Lambda requests')?.dollars).toBeCloseTo(((3000 + cost.keepAlive.invocations) / 1e6) * PRICES.lambdaRequestsPerMillion, 10);
    // Durations rounded up to the ms: (10 + 100 + 20) × 2 = 260 ms = 0.26 s at 0.5 GB, × 500.
    expect(line('Lambda compute (arm64)')?.dollars).toBeCloseTo(0.26 * 0.5 * 500 * PRICES.lambdaArmGbSecond, 10);
    // Two placements are two REST requests; the connects are not REST.
    expect(line('API Gateway REST')?.dollars).toBeCloseTo((1000 / 1e6) * PRICES.restRequestsPerMillion, 10);
    expect(line('API Gateway WebSocket messages')?.dollars).toBeCloseTo((10_000 / 1e6) * PRICES.webSocketMessagesPerMillion, 10);
    // Writes, as reported (a transaction's already as AWS bills it): per order 5 + 1 + 3 = 9 units; reads 1 + 4 = 5.
    expect(line('DynamoDB writes (on demand)')?.dollars).toBeCloseTo((9_000 / 1e6) * PRICES.dynamoDbWriteUnitsPerMillion, 10);
    expect(line('DynamoDB reads (on demand)')?.dollars).toBeCloseTo((5_000 / 1e6) * PRICES.dynamoDbReadUnitsPerMillion, 10);
    // Where the writes go, per 1,000 orders: placements 6 units each, connects 3; the login not at all.
    expect(cost.writesBy).toEqual([
      { what: 'POST /v1/orders', units: 6_000 },
      { what: '$connect', units: 3_000 },
    ]);
    // Where the compute goes, per 1,000 orders at 0.5 GB: a placement's 100 ms is 0.05 GB-s, a connect's 20 ms 0.01, an authorizer's 10 ms 0.005.
    expect(cost.computeBy.map(({ what, gbSeconds }) => [what, Math.round(gbSeconds * 1000) / 1000])).toEqual([
      ['functions/http/orders/place-order', 50],
      ['functions/ws/connect', 10],
      ['functions/auth/authorizer', 5],
    ]);
    const minutes = 2 * ASSUMPTIONS.guestMinutesPerVisit * 500 + (1 * ASSUMPTIONS.kitchenMinutesPerDay * 1000) / ASSUMPTIONS.ordersPerRestaurantDay;
    expect(line('API Gateway WebSocket connection minutes')?.dollars).toBeCloseTo((minutes / 1e6) * PRICES.webSocketConnectionMinutesPerMillion, 10);
    expect(cost.total).toBeCloseTo(cost.lines.reduce((sum, l) => sum + l.dollars, 0), 12);
  });
});

describe('the capacity model', () => {
  const orderFlow = flow.slice(1);
  const mix = measuredMix(orderFlow, 2, 20);

  it('takes one order’s share of the run: requests, messages, connects, writes by partition class', () => {
    expect(mix.restRequestsPerOrder).toBe(1);
    expect(mix.messagesPerOrder).toBe(10);
    expect(mix.connectsPerOrder).toBe(1);
    expect(Object.fromEntries(mix.writesPerOrder)).toEqual({
      'SESSION#': 2,
      'ORDER_REF#': 1,
      'ACTIVE_ORDERS#': 1,
      'RESTAURANT#': 1,
      'AUDIT#': 1,
      'CONNECTION#': 1,
      'CHANNEL#kitchen#': 1,
      'TOKEN#': 1,
    });
    expect(mix.functions.get('functions/http/orders/place-order')).toEqual({ perOrder: 1, meanSeconds: 0.0995 });
  });

  it('replays it at a rate: the same busiest second for the same seed, and only restaurant keys as hot partitions', () => {
    const input = { restaurants: 10_000, ordersPerRestaurantDay: 300, peakFactor: 5, seconds: 60, seed: 3 };
    const result = simulateScale(mix, input);
    expect(result.meanOrdersPerSecond).toBeCloseTo((10_000 * 300) / 86_400, 10);
    expect(result.peakOrdersPerSecond).toBeCloseTo(result.meanOrdersPerSecond * 5, 10);
    expect(simulateScale(mix, input)).toEqual(result);
    // A Poisson second at 174 orders/s: well above the mean, not absurdly so.
    expect(result.busiest.orders).toBeGreaterThan(result.peakOrdersPerSecond);
    expect(result.busiest.orders).toBeLessThan(result.peakOrdersPerSecond * 1.5);
    expect(result.busiest.restRequests).toBe(result.busiest.orders);
    expect(result.hotPartitions.map((p) => p.keyClass).sort()).toEqual(['ACTIVE_ORDERS#', 'AUDIT#', 'CHANNEL#kitchen#', 'RESTAURANT#']);
    const placement = result.concurrency.find((f) => f.name === 'functions/http/orders/place-order');
    expect(placement?.busiest).toBeCloseTo(result.busiest.orders * 0.0995, 10);
  });
});
