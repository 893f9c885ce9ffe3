import { isReadOperation } from '../../shared/observability/dynamodb-usage';
import { KITCHEN_RESYNC_MS, PING_AFTER_SILENT_MS } from '../../shared/contract/keepalive';
import { restRoutes } from '../../shared/http/routes';
import { append } from './invocations';
import type { Invocation } from './invocations';
import type { KeepAliveSample } from './keepalive';
import type { VisitEndSample } from './visit-end';

/**
 * AWS list prices, us-east-1, on-demand, as published in 2025 (the first pricing tier of each).
 * Lambda: https://aws.amazon.com/lambda/pricing/ · API Gateway: https://aws.amazon.com/api-gateway/pricing/ ·
 * DynamoDB on-demand (after the November 2024 reduction): https://aws.amazon.com/dynamodb/pricing/on-demand/
 */
export const PRICES = {
  lambdaRequestsPerMillion: 0.2,
  lambdaArmGbSecond: 0.0000133334,
  restRequestsPerMillion: 3.5,
  webSocketMessagesPerMillion: 1.0,
  webSocketConnectionMinutesPerMillion: 0.25,
  dynamoDbWriteUnitsPerMillion: 0.625,
  dynamoDbReadUnitsPerMillion: 0.125,
} as const;

/** What the model assumes beyond what the run measures. */
export const ASSUMPTIONS = {
  /** A guest's phone holds its socket for the whole visit, the app in the foreground (so it pings when silent). */
  guestMinutesPerVisit: 60,
  /** Kitchen screens stay connected through a 12-hour service day… */
  kitchenMinutesPerDay: 12 * 60,
  /** …in a restaurant that takes this many orders a day. */
  ordersPerRestaurantDay: 300,
} as const;

/** Routes that set a restaurant up rather than serve an order: not part of the cost of an order. */
const SETUP_ROUTES = [restRoutes.staffLogin, restRoutes.createStaff, restRoutes.createTable].map((route) => `${route.method} ${route.path}`);

export interface CostInput {
  /** Every invocation the runtime reported while the load ran. */
  invocations: Invocation[];
  orders: number;
  memoryMb: number;
  /** Frames the load's sockets sent and received, as API Gateway bills them. */
  webSocketMessages: number;
  guestSockets: number;
  kitchenScreensPerRestaurant: number;
  /** What one ping and one kitchen sync cost, measured: the keep-alive over the hours sockets stay open. */
  keepAlive: KeepAliveSample;
  /** Table visits the load served, each of which ends as `visitEnd` measured (the load leaves its sessions open). */
  visits: number;
  visitEnd: VisitEndSample;
}

export interface CostLine {
  item: string;
  quantity: string;
  dollars: number;
}

/** An invocation and how many times it counts per 1,000 orders. */
interface Weighted {
  invocation: Invocation;
  weight: number;
}

/**
 * Billed read or write units of these invocations' calls: as the runtime reported them, which for
 * transactions is AWS's figure, not DynamoDB Local's (lib/local/transaction-capacity.ts).
 */
const unitsOf = (invocations: Weighted[], read: boolean) =>
  invocations.reduce(
    (sum, { invocation, weight }) =>
      sum + weight * invocation.dynamoDbCalls.filter((call) => isReadOperation(call.operation) === read).reduce((units, call) => units + call.capacityUnits, 0),
    0,
  );

/** Billed GB-seconds of these invocations: each duration rounded up to the ms, at the given memory. */
const gbSecondsOf = (invocations: Weighted[], memoryMb: number) =>
  invocations.reduce((sum, { invocation, weight }) => sum + (weight * Math.ceil(invocation.durationMs)) / 1000, 0) * (memoryMb / 1024);

const countOf = (invocations: Weighted[]) => invocations.reduce((sum, { weight }) => sum + weight, 0);

/** REST requests among these invocations: one per request, however many functions (the authorizer, the handler) ran for it. */
const restRequestsOf = (invocations: Weighted[]) =>
  countOf([...new Map(invocations.filter(({ invocation }) => invocation.function.startsWith('functions/http/')).map((w) => [w.invocation.gatewayRequestId, w])).values()]);

const perMillion = (count: number, price: number) => (count / 1e6) * price;

/**
 * What keeping the sockets open costs per 1,000 orders beyond the load itself (whose sockets live
 * minutes, not hours): each phone's pings over its assumed minutes, at the apps' cadence, and each
 * kitchen screen's syncs over its service day, each at its measured cost.
 */
export function keepAlivePer1000Orders(input: Pick<CostInput, 'orders' | 'guestSockets' | 'kitchenScreensPerRestaurant' | 'keepAlive' | 'memoryMb'>) {
  const pings = ((input.guestSockets * 1000) / input.orders) * Math.floor((ASSUMPTIONS.guestMinutesPerVisit * 60_000) / PING_AFTER_SILENT_MS);
  const syncs = (input.kitchenScreensPerRestaurant * Math.floor((ASSUMPTIONS.kitchenMinutesPerDay * 60_000) / KITCHEN_RESYNC_MS) * 1000) / ASSUMPTIONS.ordersPerRestaurantDay;
  const { ping, kitchenSync } = input.keepAlive;
  const messages = pings * ping.frames + syncs * kitchenSync.frames;
  const invocations = pings + syncs;
  const gbSeconds = ((pings * Math.ceil(ping.durationMs) + syncs * Math.ceil(kitchenSync.durationMs)) / 1000) * (input.memoryMb / 1024);
  const readUnits = pings * ping.readUnits + syncs * kitchenSync.readUnits;
  const dollars =
    (messages / 1e6) * PRICES.webSocketMessagesPerMillion +
    (invocations / 1e6) * PRICES.lambdaRequestsPerMillion +
    gbSeconds * PRICES.lambdaArmGbSecond +
    (readUnits / 1e6) * PRICES.dynamoDbReadUnitsPerMillion;
  return { sample: input.keepAlive, pings, syncs, messages, invocations, gbSeconds, readUnits, dollars };
}

/**
 * The cost of 1,000 orders on AWS, from the invocations of a load run, its sockets' keep-alive and the assumptions above;
 * where the write units go, by route (or function), and the compute, by function: most first.
 */
export function costPer1000Orders(input: CostInput): {
  lines: CostLine[];
  total: number;
  dynamoDb: number;
  writesBy: { what: string; units: number }[];
  computeBy: { what: string; gbSeconds: number }[];
  keepAlive: ReturnType<typeof keepAlivePer1000Orders>;
  /** The end of the load's visits: what one costs, as measured, and what they come to per 1,000 orders. */
  visitEnd: { perVisit: { invocations: number; restRequests: number; frames: number; writeUnits: number }; visits: number; dollars: number };
} {
  const scale = 1000 / input.orders;
  const setupRequests = new Set(input.invocations.filter((i) => i.route !== undefined && SETUP_ROUTES.includes(i.route) && i.gatewayRequestId).map((i) => i.gatewayRequestId));
  // The load's order flow, and the end of each of its visits, as measured once.
  const visits = input.visits * scale;
  const endOfVisits: Weighted[] = input.visitEnd.invocations.map((invocation) => ({ invocation, weight: visits }));
  const counted: Weighted[] = [
    ...input.invocations.filter((i) => !i.gatewayRequestId || !setupRequests.has(i.gatewayRequestId)).map((invocation) => ({ invocation, weight: scale })),
    ...endOfVisits,
  ];

  const gbSeconds = gbSecondsOf(counted, input.memoryMb);
  const restRequests = restRequestsOf(counted);
  const readUnits = unitsOf(counted, true);
  const writeUnits = unitsOf(counted, false);
  const connectionMinutes =
    (input.guestSockets * ASSUMPTIONS.guestMinutesPerVisit) * scale +
    (input.kitchenScreensPerRestaurant * ASSUMPTIONS.kitchenMinutesPerDay * 1000) / ASSUMPTIONS.ordersPerRestaurantDay;
  const keepAlive = keepAlivePer1000Orders(input);
  const visitEndMessages = visits * input.visitEnd.frames;
  const messages = input.webSocketMessages * scale + visitEndMessages + keepAlive.messages;
  const invocations = countOf(counted) + keepAlive.invocations;
  const computed = gbSeconds + keepAlive.gbSeconds;
  const read = readUnits + keepAlive.readUnits;

  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const ofWhich = (n: number) => ` (${fmt(n)} keep-alive)`;
  /** The counted invocations grouped by `key`, each group's share per 1,000 orders measured by `amount`, most first. */
  const breakdown = (key: (i: Invocation) => string, amount: (group: Weighted[]) => number) => {
    const groups = new Map<string, Weighted[]>();
    for (const w of counted) append(groups, key(w.invocation), w);
    return [...groups].map(([what, group]) => ({ what, amount: amount(group) })).sort((a, b) => b.amount - a.amount);
  };
  const writesBy = breakdown((i) => i.route ?? i.function, (group) => unitsOf(group, false))
    .filter((entry) => entry.amount > 0)
    .map(({ what, amount }) => ({ what, units: amount }));
  const computeBy = breakdown((i) => i.function, (group) => gbSecondsOf(group, input.memoryMb)).map(({ what, amount }) => ({ what, gbSeconds: amount }));
  const lines: CostLine[] = [
    { item: 'Lambda requests', quantity: `${fmt(invocations)} invocations${ofWhich(keepAlive.invocations)}`, dollars: perMillion(invocations, PRICES.lambdaRequestsPerMillion) },
    { item: 'Lambda compute (arm64)', quantity: `${fmt(computed)} GB-s${ofWhich(keepAlive.gbSeconds)}`, dollars: computed * PRICES.lambdaArmGbSecond },
    { item: 'API Gateway REST', quantity: `${fmt(restRequests)} requests`, dollars: perMillion(restRequests, PRICES.restRequestsPerMillion) },
    { item: 'API Gateway WebSocket messages', quantity: `${fmt(messages)} messages${ofWhich(keepAlive.messages)}`, dollars: perMillion(messages, PRICES.webSocketMessagesPerMillion) },
    { item: 'API Gateway WebSocket connection minutes', quantity: `${fmt(connectionMinutes)} minutes`, dollars: perMillion(connectionMinutes, PRICES.webSocketConnectionMinutesPerMillion) },
    { item: 'DynamoDB writes (on demand)', quantity: `${fmt(writeUnits)} WRU`, dollars: perMillion(writeUnits, PRICES.dynamoDbWriteUnitsPerMillion) },
    { item: 'DynamoDB reads (on demand)', quantity: `${fmt(read)} RRU${ofWhich(keepAlive.readUnits)}`, dollars: perMillion(read, PRICES.dynamoDbReadUnitsPerMillion) },
    { item: 'DynamoDB Streams read by Lambda', quantity: 'all change records', dollars: 0 },
  ];
  const dynamoDb = lines.filter((line) => line.item.startsWith('DynamoDB')).reduce((sum, line) => sum + line.dollars, 0);
  const once = input.visitEnd.invocations.map((invocation) => ({ invocation, weight: 1 }));
  const visitEnd = {
    perVisit: { invocations: once.length, restRequests: restRequestsOf(once), frames: input.visitEnd.frames, writeUnits: unitsOf(once, false) },
    visits,
    dollars:
      perMillion(countOf(endOfVisits), PRICES.lambdaRequestsPerMillion) +
      gbSecondsOf(endOfVisits, input.memoryMb) * PRICES.lambdaArmGbSecond +
      perMillion(restRequestsOf(endOfVisits), PRICES.restRequestsPerMillion) +
      perMillion(visitEndMessages, PRICES.webSocketMessagesPerMillion) +
      perMillion(unitsOf(endOfVisits, false), PRICES.dynamoDbWriteUnitsPerMillion) +
      perMillion(unitsOf(endOfVisits, true), PRICES.dynamoDbReadUnitsPerMillion),
  };
  return { lines, total: lines.reduce((sum, line) => sum + line.dollars, 0), dynamoDb, writesBy, computeBy, keepAlive, visitEnd };
}
