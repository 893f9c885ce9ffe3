import { authorizer, restFunctions, streamConsumer } from '../../shared/http/routes';
import { seededRandom } from '../../lib/local/faults';
import { stages } from '../../lib/stage-config';
import type { Invocation } from './invocations';

/**
 * The capacity model behind SCALE.md: what one order costs, measured by a load run (its invocations,
 * their durations and the partitions their writes landed in), replayed at a chosen rate. Orders arrive
 * at each restaurant as a Poisson process at the peak rate; each brings its measured invocations
 * and writes; the busiest second of the simulated minutes is what meets the limits.
 */

/** The account and table limits the model checks against (AWS defaults). */
export const LIMITS = {
  restRequestsPerSecond: 10_000,
  webSocketConnectsPerSecond: 500,
  lambdaConcurrency: 1_000,
  partitionWriteUnitsPerSecond: 1_000,
  partitionReadUnitsPerSecond: 3_000,
} as const;

/** The prod stage's own limits: its API stages' throttles and the concurrency reserved (and so capped) per function. */
export const PROD_LIMITS = {
  restRequestsPerSecond: stages.prod.restThrottle.rateLimit,
  webSocketRequestsPerSecond: stages.prod.webSocketThrottle.rateLimit,
  reservedConcurrency: new Map<string, number>(
    [...Object.entries(restFunctions).map(([name, spec]): [string, number | undefined] => [spec.entry, stages.prod.concurrency[name as keyof typeof restFunctions]]), [streamConsumer.entry, stages.prod.concurrency.fanout] as [string, number | undefined]].filter(
      (entry): entry is [string, number] => entry[1] !== undefined,
    ),
  ),
} as const;

/** Partition key classes whose partitions belong to one restaurant: their write rate grows with its orders. */
const RESTAURANT_CLASSES = ['RESTAURANT#', 'AUDIT#', 'ACTIVE_ORDERS#', 'MENU#', 'OPEN_SESSIONS#', 'OPEN_REQUESTS#', 'CHANNEL#kitchen#', 'CHANNEL#floor#', 'CHANNEL#guests#'];

/** One order's share of the measured load. */
export interface OrderMix {
  /** Per function: invocations per order and their mean duration (s). */
  functions: Map<string, { perOrder: number; meanSeconds: number }>;
  /** Item writes per order, by partition key class. */
  writesPerOrder: Map<string, number>;
  restRequestsPerOrder: number;
  messagesPerOrder: number;
  connectsPerOrder: number;
}

export function measuredMix(invocations: Invocation[], orders: number, messages: number): OrderMix {
  const functions = new Map<string, { perOrder: number; meanSeconds: number }>();
  for (const name of new Set(invocations.map((i) => i.function))) {
    const own = invocations.filter((i) => i.function === name);
    functions.set(name, { perOrder: own.length / orders, meanSeconds: own.reduce((sum, i) => sum + i.durationMs, 0) / own.length / 1000 });
  }
  const writesPerOrder = new Map<string, number>();
  for (const write of invocations.flatMap((i) => i.dynamoDbCalls.flatMap((call) => call.writes ?? []))) {
    writesPerOrder.set(write, (writesPerOrder.get(write) ?? 0) + 1 / orders);
  }
  return {
    functions,
    writesPerOrder,
    restRequestsPerOrder: new Set(invocations.filter((i) => i.function.startsWith('functions/http/')).map((i) => i.gatewayRequestId)).size / orders,
    messagesPerOrder: messages / orders,
    // The authorizer runs on `$connect` too: count the connection once.
    connectsPerOrder: invocations.filter((i) => i.route === '$connect' && i.function !== authorizer.entry).length / orders,
  };
}

export interface ScaleInput {
  restaurants: number;
  ordersPerRestaurantDay: number;
  /** The peak's rate as a multiple of the day's mean. */
  peakFactor: number;
  /** Simulated seconds at the peak rate. */
  seconds: number;
  seed: number;
}

export interface ScaleResult {
  meanOrdersPerSecond: number;
  peakOrdersPerSecond: number;
  /** The busiest simulated second's figures. */
  busiest: { orders: number; restRequests: number; messages: number; connects: number; writeUnits: number };
  /** Per function: concurrency in the busiest second (invocations that second × mean duration). */
  concurrency: { name: string; busiest: number }[];
  /** Per restaurant partition class: the busiest partition's writes in the busiest second. */
  hotPartitions: { keyClass: string; writesPerOrder: number; busiestWritesPerSecond: number }[];
}

/** Poisson-distributed count with mean `lambda` (Knuth for small means, normal approximation above 30). */
function poisson(lambda: number, random: () => number): number {
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random())));
  const limit = Math.exp(-lambda);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

/**
 * Replays the mix: every simulated second, each restaurant takes a Poisson number of orders at its
 * peak rate. Writes of a restaurant's partition classes land on that restaurant's partition; the
 * others spread over partitions of sessions, tokens, connections and orders (many per restaurant).
 */
export function simulateScale(mix: OrderMix, input: ScaleInput): ScaleResult {
  const random = seededRandom(input.seed);
  const meanPerRestaurant = input.ordersPerRestaurantDay / 86_400;
  const peakPerRestaurant = meanPerRestaurant * input.peakFactor;
  let busiestOrders = 0;
  let busiestRestaurantOrders = 0;
  for (let second = 0; second < input.seconds; second++) {
    // Restaurants are many and alike: the total is Poisson at the sum of their rates; the busiest one is drawn alongside.
    const orders = poisson(peakPerRestaurant * input.restaurants, random);
    let busiestHere = 0;
    for (let r = 0; r < Math.min(input.restaurants, 2_000); r++) busiestHere = Math.max(busiestHere, poisson(peakPerRestaurant, random));
    busiestOrders = Math.max(busiestOrders, orders);
    busiestRestaurantOrders = Math.max(busiestRestaurantOrders, busiestHere);
  }
  const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);
  const writesPerOrder = sum(mix.writesPerOrder.values());
  return {
    meanOrdersPerSecond: meanPerRestaurant * input.restaurants,
    peakOrdersPerSecond: peakPerRestaurant * input.restaurants,
    busiest: {
      orders: busiestOrders,
      restRequests: busiestOrders * mix.restRequestsPerOrder,
      messages: busiestOrders * mix.messagesPerOrder,
      connects: busiestOrders * mix.connectsPerOrder,
      writeUnits: busiestOrders * writesPerOrder,
    },
    concurrency: [...mix.functions].map(([name, f]) => ({ name, busiest: busiestOrders * f.perOrder * f.meanSeconds })).sort((a, b) => b.busiest - a.busiest),
    hotPartitions: [...mix.writesPerOrder]
      .filter(([keyClassName]) => RESTAURANT_CLASSES.includes(keyClassName))
      .map(([keyClassName, perOrder]) => ({ keyClass: keyClassName, writesPerOrder: perOrder, busiestWritesPerSecond: perOrder * busiestRestaurantOrders }))
      .sort((a, b) => b.busiestWritesPerSecond - a.busiestWritesPerSecond),
  };
}
