import { authorizer } from '../../shared/http/routes';
import type { ColdStarts } from './cold-start';
import type { Comparison } from './compare';
import { KITCHEN_RESYNC_MS, PING_AFTER_SILENT_MS } from '../../shared/contract/keepalive';
import { ASSUMPTIONS, PRICES } from './cost';
import type { costPer1000Orders } from './cost';
import type { FanoutScale } from './fanout-scale';
import type { Invocation, InvocationLog } from './invocations';
import type { LoadResult } from './load';
import type { ProbeSample } from './probe';
import { LIMITS, PROD_LIMITS } from './scale';
import type { OrderMix, ScaleInput, ScaleResult } from './scale';
import { median, percentile } from './stats';

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const percent = (share: number) => (Number.isFinite(share) ? `${(share * 100).toFixed(0)} %` : '–');
const table = (header: string[], rows: (string | number)[][]) =>
  [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');

export const BUNDLE_LIMIT_BYTES = 250 * 1024;
export const INIT_LIMIT_MS = 150;
/** Every compared operation at most this many times its raw calls (p50). */
export const RAW_RATIO_LIMIT = 1.5;
/** Round trips of the handlers whose count has a target. */
export const ROUND_TRIP_LIMITS: Record<string, number> = { 'place order': 6, join: 7 };

export function loadSection(load: LoadResult, thinkMs: number): string {
  const rows = load.recorder.operations().map((operation) => {
    const s = load.recorder.summary(operation);
    return [operation, s.count, s.errors, ms(s.p50), ms(s.p95), ms(s.p99), s.throughput.toFixed(1)];
  });
  const fanout = load.fanout.map((f) => [f.kind, f.deliveries, f.deadLettered, f.afterOutage, f.lost, ms(f.p50), ms(f.p99)]);
  return [
    `### Under load (${load.orders} orders at ${load.rounds} table visits in ${load.wallSeconds.toFixed(1)} s; ${load.sockets.guests} guest and ${load.sockets.kitchens} kitchen sockets open; ${thinkMs} ms mean think time before each tap)`,
    '',
    'Latency in ms from sending the request to the last byte of the answer; throughput in requests per second while that operation ran.',
    '',
    table(['operation', 'count', 'errors', 'p50', 'p95', 'p99', 'per s'], rows),
    '',
    'Fan-out: from the HTTP response of the write to each socket that must hear of it receiving the message (ms). ' +
      'A message a socket never got is dead-lettered (its record is in the dead-letter list), after an outage (the socket was down and synced after the write) or lost.',
    '',
    table(['message', 'deliveries', 'dead-lettered', 'after an outage', 'lost', 'p50', 'p99'], fanout),
  ].join('\n');
}

/** The most common sequence of DynamoDB operations among invocations, e.g. `GetItem → UpdateItem`. */
function callSequence(invocations: Invocation[]): string {
  const counts = new Map<string, number>();
  for (const i of invocations) {
    const sequence = i.dynamoDbCalls.map((call) => call.operation).join(' → ') || 'none';
    counts.set(sequence, (counts.get(sequence) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'none';
}

/**
 * The ratio table, then round trips and units per request: for the compared operations from their
 * one-at-a-time samples, for the load's other operations (`others`: request ids by operation) from the load.
 */
export function comparisonSection(comparisons: Comparison[], log: InvocationLog, others: [string, string[]][]): string {
  // Our code's time per request: its Lambda invocations' durations (authorizer and handler), as their REPORT lines give them.
  const inLambda = new Map(comparisons.map((c) => [c.operation, median(c.requestIds.map((id) => log.forRequest(id).reduce((sum, i) => sum + i.durationMs, 0)))]));
  const ratioRows = comparisons.map((c) => {
    const lambda = inLambda.get(c.operation) as number;
    return [c.operation, ms(c.ours.p50), ms(lambda), ms(c.raw.p50), `${(c.ours.p50 / c.raw.p50).toFixed(2)}×`, `${(lambda / c.raw.p50).toFixed(2)}×`, ms(c.ours.p99), ms(c.raw.p99)];
  });
  const roundTrips = new Map<string, number>();
  const measured = [...comparisons.map((c) => ({ operation: c.operation as string, requestIds: c.requestIds })), ...others.map(([operation, requestIds]) => ({ operation, requestIds }))];
  const capacityRows = measured.map((c) => {
    const invocations = c.requestIds.flatMap((id) => log.forRequest(id));
    const handlers = invocations.filter((i) => i.function !== authorizer.entry);
    const authorizers = invocations.filter((i) => i.function === authorizer.entry);
    const perRequest = (pick: (i: Invocation) => number) => invocations.reduce((sum, i) => sum + pick(i), 0) / c.requestIds.length;
    const handlerRoundTrips = median(handlers.map((i) => i.dynamoDbCalls.length));
    const authorizerRoundTrips = authorizers.length ? median(authorizers.map((i) => i.dynamoDbCalls.length)) : 0;
    roundTrips.set(c.operation, handlerRoundTrips);
    return [
      c.operation,
      `${handlerRoundTrips}: ${callSequence(handlers)}`,
      authorizers.length ? `${authorizerRoundTrips}: ${callSequence(authorizers)}` : '– (public)',
      perRequest((i) => i.readCapacityUnits).toFixed(1),
      perRequest((i) => i.writeCapacityUnits).toFixed(1),
      ms(median(handlers.map((i) => i.durationMs))),
      authorizers.length ? ms(median(authorizers.map((i) => i.durationMs))) : '–',
    ];
  });
  const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
  const ratios = comparisons.map((c) => {
    const ratio = (inLambda.get(c.operation) as number) / c.raw.p50;
    return `${c.operation} ${ratio.toFixed(2)}× ${verdict(ratio <= RAW_RATIO_LIMIT)}`;
  });
  const trips = Object.entries(ROUND_TRIP_LIMITS).map(([operation, limit]) => {
    const count = roundTrips.get(operation) ?? Number.NaN;
    return `${operation} ≤ ${limit}: ${count}, ${verdict(count <= limit)}`;
  });
  return [
    `### One at a time, ours beside the raw DynamoDB calls it needs (${comparisons[0]?.requestIds.length ?? 0} samples each)`,
    '',
    'Ours over HTTP: the request through the local API Gateway, the authorizer and the handler, each function in a worker',
    'thread of its own (the local sandbox). Ours in Lambda: the authorizer\'s and the handler\'s durations (their `invocation`',
    'lines, as Lambda\'s REPORT lines), what our code takes, without the local gateway and the hops between threads, which',
    'AWS does not have. Raw: the same DynamoDB calls from a bare SDK client in the benchmark process, one after the other,',
    'alternating with ours, through the local IAM proxy as the functions\' calls go (a hop per call that AWS does not have).',
    '',
    table(['operation', 'ours over HTTP p50', 'ours in Lambda p50', 'raw p50', 'HTTP ÷ raw', 'Lambda ÷ raw', 'ours over HTTP p99', 'raw p99'], ratioRows),
    '',
    'DynamoDB round trips (in order) and capacity units per request, from `ReturnConsumedCapacity` on every call, and Lambda duration p50 in ms:',
    `the first ${comparisons.length} rows from the samples above, the others from the load (their durations include its queueing).`,
    '',
    table(['operation', 'handler round trips', 'authorizer round trips', 'RCU', 'WCU', 'handler ms', 'authorizer ms'], capacityRows),
    '',
    `Targets: every operation's code ≤ ${RAW_RATIO_LIMIT}× its raw calls (Lambda ÷ raw, p50): ${ratios.join('; ')}. Handler round trips: ${trips.join('; ')}.`,
  ].join('\n');
}

export function fanoutScaleSection(runs: FanoutScale[]): string {
  return [
    '### Fan-out to many sockets on one restaurant (the phones of one FAMILY table, up to 100, and kitchen screens)',
    '',
    'One order placed (after a first one, not measured, that starts the delivery function\'s instances); ms after its HTTP response until the sockets had `order.placed` / `ticket.created`.',
    `CPU: how busy the machine's ${runs[0]?.cpu.cores ?? ''} cores were from the order's cart add and placement until the last socket had it, and who used that time: the runtime (gateways and`,
    'function instances) and this load generator (its sockets); DynamoDB Local and the system used the rest.',
    '',
    table(
      ['sockets', 'phones', 'kitchen screens', 'first', 'p50', 'p99', 'all', 'missing', 'CPU busy', 'runtime', 'load generator'],
      runs.map((scale) => [
        scale.guestSockets + scale.kitchenSockets,
        scale.guestSockets,
        scale.kitchenSockets,
        ms(scale.firstMs),
        ms(scale.p50Ms),
        ms(scale.p99Ms),
        ms(scale.allMs),
        scale.missing,
        percent(scale.cpu.busy),
        percent(scale.cpu.runtime),
        percent(scale.cpu.bench),
      ]),
    ),
    '',
    `Target: p99 < 1 s at 1,000 sockets: ${runs.filter((run) => run.guestSockets + run.kitchenSockets === 1000).map((run) => `${ms(run.p99Ms)} ms, ${run.p99Ms < 1000 && run.missing === 0 ? 'met' : '**not met**'}`).join('; ') || 'not measured in this run'}.`,
  ].join('\n');
}

export function coldStartSection({ functions: coldStarts, sdkMs }: ColdStarts, runs: number): string {
  const rows = coldStarts.map((c) => [
    c.entry,
    (c.bundleBytes / 1024).toFixed(1),
    ms(c.initMs),
  ]);
  const bigBundles = coldStarts.filter((c) => c.bundleBytes > BUNDLE_LIMIT_BYTES).length;
  const slowInits = coldStarts.filter((c) => c.initMs > INIT_LIMIT_MS).length;
  return [
    `### Cold start per function (bundles from a dev synthesis; init = median of ${runs} fresh Node processes importing the bundle)`,
    '',
    table(['function', 'bundle KB (minified)', 'init ms'], rows),
    '',
    `Targets: every bundle ≤ 250 KB: ${bigBundles === 0 ? 'met' : `**${bigBundles} over**`} (largest ${(Math.max(...coldStarts.map((c) => c.bundleBytes)) / 1024).toFixed(1)} KB); ` +
      `init ≤ ${INIT_LIMIT_MS} ms: ${slowInits === 0 ? 'met' : `**${slowInits} over**`} (slowest ${ms(Math.max(...coldStarts.map((c) => c.initMs)))} ms).`,
    '',
    `Of an init, ${ms(sdkMs)} ms (median, same rounds) is a fresh process importing the AWS SDK's DynamoDB clients alone, which every function but ` +
      `the delivery function loads from Lambda's runtime: the part that is not our code, and that moves with the machine's pace from run to run.`,
  ].join('\n');
}

export function costSection(cost: ReturnType<typeof costPer1000Orders>, memoryMb: number): string {
  const { sample } = cost.keepAlive;
  const rows = cost.lines.map((line) => [line.item, line.quantity, `$${line.dollars.toFixed(4)}`]);
  const writes = cost.writesBy.map(({ what, units }) => `${what} ${Math.round(units).toLocaleString('en-US')}`).join(' · ');
  const whole = (n: number) => Math.round(n).toLocaleString('en-US');
  const compute = cost.computeBy.map(({ what, gbSeconds }) => `${what} ${Math.round(gbSeconds).toLocaleString('en-US')}`).join(' · ');
  return [
    '### What 1,000 orders cost on AWS (us-east-1, on demand)',
    '',
    table(['item', 'per 1,000 orders', 'cost'], [...rows, ['**total**', '', `**$${cost.total.toFixed(4)}**`]]),
    '',
    `DynamoDB alone (the raw cost of the data): $${cost.dynamoDb.toFixed(4)} of $${cost.total.toFixed(4)} (${((cost.dynamoDb / cost.total) * 100).toFixed(0)} %).`,
    '',
    `Where the write units go (per 1,000 orders, by route or function): ${writes}.`,
    '',
    `Where the compute goes (GB-s per 1,000 orders, by function): ${compute}.`,
    '',
    `Keeping the sockets open (beyond the load, whose sockets live minutes): ${whole(cost.keepAlive.pings)} phone pings and ${whole(cost.keepAlive.syncs)} kitchen syncs per 1,000 orders, ` +
      `a ping measured at ${sample.ping.durationMs.toFixed(1)} ms and ${sample.ping.frames} frames, a kitchen sync (${sample.tickets} active tickets) at ` +
      `${sample.kitchenSync.durationMs.toFixed(1)} ms, ${sample.kitchenSync.readUnits} RRU and ${sample.kitchenSync.frames} frames: $${cost.keepAlive.dollars.toFixed(4)} of the total.`,
    '',
    `Ending the visits (beyond the load, which leaves its sessions open for the checks): ${whole(cost.visitEnd.visits)} visits per 1,000 orders, each measured once ` +
      `with its phones: staff close the session, the phones hear \`session.closed\` and their sockets close and are forgotten: ` +
      `${cost.visitEnd.perVisit.invocations} invocations, ${cost.visitEnd.perVisit.restRequests} REST request, ${cost.visitEnd.perVisit.frames} frames and ` +
      `${cost.visitEnd.perVisit.writeUnits.toFixed(1)} WRU a visit: $${cost.visitEnd.dollars.toFixed(4)} of the total.`,
    '',
    `Prices: Lambda $${PRICES.lambdaRequestsPerMillion}/M requests and $${PRICES.lambdaArmGbSecond}/GB-s (arm64); REST $${PRICES.restRequestsPerMillion}/M; ` +
      `WebSocket $${PRICES.webSocketMessagesPerMillion}/M messages and $${PRICES.webSocketConnectionMinutesPerMillion}/M connection minutes; ` +
      `DynamoDB $${PRICES.dynamoDbWriteUnitsPerMillion}/M WRU and $${PRICES.dynamoDbReadUnitsPerMillion}/M RRU; Streams read by Lambda are free.`,
    `Assumptions: every invocation of the run's order flow counts (restaurant set-up — logins, staff, tables — does not), each billed at its measured duration rounded up to 1 ms at ${memoryMb} MB; ` +
      `every frame the sockets sent and received is billed (per 32 KB), the apps' \`sync\` on connecting included; a phone stays connected ${ASSUMPTIONS.guestMinutesPerVisit} minutes per visit, ` +
      `the app in the foreground, so it pings after every ${PING_AFTER_SILENT_MS / 60_000} silent minutes; ` +
      `kitchen screens ${ASSUMPTIONS.kitchenMinutesPerDay / 60} h a day in a restaurant of ${ASSUMPTIONS.ordersPerRestaurantDay} orders a day, syncing every ${KITCHEN_RESYNC_MS / 60_000} minutes; ` +
      'write units of a transaction as AWS bills them (2 per KB of every item, condition checks and index entries included), which the local runtime reports in place of DynamoDB Local’s own figure. ' +
      'Not included: CloudWatch Logs and metrics, WAF, alarms and the dashboards (fixed monthly costs, see the README). ' +
      'Durations were measured here against DynamoDB Local, whose calls are slower than DynamoDB’s, so compute is overstated rather than understated.',
  ].join('\n');
}

export function endStateSection(load: LoadResult, faultArgs: string[]): string {
  const { endState, retries } = load;
  const retryText = retries.total() === 0 ? 'no request had to be sent again' : [...retries.reasons].map(([reason, n]) => `${n} × ${reason}`).join(', ');
  return [
    '### End state',
    '',
    `Faults: ${faultArgs.length ? `\`${faultArgs.join(' ')}\`` : 'none'}; ${load.restart ? `runtime restarted ${load.restart.atSeconds.toFixed(0)} s into the service, away ${load.restart.awaySeconds.toFixed(1)} s, ${load.reconnections} sockets reconnected and synced` : 'no restart'}.`,
    `Requests sent again by the clients (same request, same Idempotency-Key): ${retryText}.`,
    '',
    `Checked against the table (read from DynamoDB Local directly): ${endState.ordersChecked} orders, one per Idempotency-Key and none without one; ` +
      `${endState.guestsChecked} phones (what their sockets heard, their view after \`sync\` and \`GET /v1/orders\`); ` +
      `${endState.screensChecked} kitchen screens (what they heard of every order, and after \`sync\` the active tickets). ` +
      `Differences in what sockets heard: ${endState.gaps.filter((gap) => gap.explainedBy === 'dead letter').length} dead-lettered, ` +
      `${endState.gaps.filter((gap) => gap.explainedBy === 'outage').length} after an outage, ${endState.gaps.filter((gap) => gap.explainedBy === 'nothing').length} unexplained.`,
    '',
    endState.findings.length === 0 ? 'Findings: none — nothing lost, nothing doubled.' : ['Findings:', '', ...endState.findings.map((finding) => `- ${finding}`)].join('\n'),
  ].join('\n');
}

/**
 * The soak: the first and the last five minutes side by side (fifths of a shorter run), after a
 * warm-up (the first minute, or tenth of a shorter run: cold starts and function instances scaling
 * out), and the runtime's memory over the run.
 */
export function soakSection(load: LoadResult, memory: { at: number; mb: number }[], probe: ProbeSample[]): string {
  const span = load.recorder.span();
  const warmUp = Math.min(60_000, (span.to - span.from) / 10);
  const from = span.from + warmUp;
  const to = span.to;
  const window = Math.min(5 * 60_000, (to - from) / 5);
  const first = (operation?: string) => load.recorder.latenciesBetween(from, from + window, operation);
  const last = (operation?: string) => load.recorder.latenciesBetween(to - window, to, operation);
  const drift = (a: number, b: number) => `${(((b - a) / a) * 100).toFixed(0)} %`;
  const figures = (name: string, a: number[], b: number[]) =>
    [name, a.length, b.length, ms(percentile(a, 50)), ms(percentile(b, 50)), drift(percentile(a, 50), percentile(b, 50)), ms(percentile(a, 99)), ms(percentile(b, 99)), drift(percentile(a, 99), percentile(b, 99))];
  const row = (name: string, operation?: string) => figures(name, first(operation), last(operation));
  const probed = (start: number, end: number) => probe.filter((sample) => sample.at >= start && sample.at < end).map((sample) => sample.ms).sort((a, b) => a - b);
  const all = [first(), last()] as [number[], number[]];
  const worst = Math.max(...[50, 99].map((p) => Math.abs(percentile(all[1], p) / percentile(all[0], p) - 1)));
  const minutes = (n: number) => (n / 60_000).toFixed(1);
  const warm = memory.filter((sample) => sample.at >= from);
  const mb = (sample: { mb: number } | undefined) => (sample ? sample.mb.toFixed(0) : '–');
  return [
    `### Soak: the first and the last ${minutes(window)} minutes of ${minutes(to - span.from)}, after ${minutes(warmUp)} minutes of warm-up`,
    '',
    'Latency in ms, per window: requests that started in it.',
    '',
    table(['operation', 'first n', 'last n', 'first p50', 'last p50', 'p50 drift', 'first p99', 'last p99', 'p99 drift'], [
      row('**all requests**'),
      ...load.recorder.operations().map((operation) => row(operation, operation)),
      figures('DynamoDB Local alone (probe)', probed(from, from + window), probed(to - window, to)),
    ]),
    '',
    'The probe: every second, one PutItem, one consistent GetItem and one Query straight to DynamoDB Local (no runtime, no IAM proxy), timed together: how DynamoDB Local itself keeps pace.',
    '',
    `Target: all requests' p50 and p99 drift ≤ 20 %: ${(worst * 100).toFixed(0)} %, ${worst <= 0.2 ? 'met' : '**not met**'}.`,
    `Runtime memory (resident: the local runtime's process with every function instance's worker thread), sampled every 10 s: ` +
      `${mb(memory[0])} MiB before the load, ${mb(warm[0])} MiB after the warm-up, ${mb(memory.at(-1))} MiB at the end, ${Math.max(...memory.map((m) => m.mb)).toFixed(0)} MiB at most.`,
  ].join('\n');
}

/** SCALE.md's figures: the measured order mix, the arithmetic at the peak, and the simulation's busiest second against the limits. */
export function scaleSection(mix: OrderMix, result: ScaleResult, input: ScaleInput, costPer1000: number): string {
  const n = (value: number, digits = 1) => value.toLocaleString('en-US', { maximumFractionDigits: digits });
  const peak = result.peakOrdersPerSecond;
  const concurrency = result.concurrency.reduce((sum, f) => sum + f.busiest, 0);
  const checks = [
    { what: 'REST requests per second (account)', value: result.busiest.restRequests, limit: LIMITS.restRequestsPerSecond },
    { what: 'REST requests per second (the prod stage’s throttle)', value: result.busiest.restRequests, limit: PROD_LIMITS.restRequestsPerSecond },
    { what: 'WebSocket new connections per second (account)', value: result.busiest.connects, limit: LIMITS.webSocketConnectsPerSecond },
    { what: 'Lambda concurrency, all functions (account)', value: concurrency, limit: LIMITS.lambdaConcurrency },
    ...result.concurrency.flatMap((f) => {
      const reserved = PROD_LIMITS.reservedConcurrency.get(f.name);
      return reserved === undefined ? [] : [{ what: `${f.name} concurrency (reserved in prod, so also its cap)`, value: f.busiest, limit: reserved }];
    }),
    ...result.hotPartitions.slice(0, 1).map((p) => ({ what: `writes per second on one ${p.keyClass} partition`, value: p.busiestWritesPerSecond, limit: LIMITS.partitionWriteUnitsPerSecond })),
  ].sort((a, b) => b.value / b.limit - a.value / a.limit);
  // Restaurant-wide figures grow with the number of restaurants; a single partition's with one restaurant's traffic.
  const reachedAt = (c: (typeof checks)[number]) => (c.what.includes('partition') ? '– (per restaurant)' : n((input.restaurants * c.limit) / c.value, 0));
  const ordersPerMonth = input.restaurants * input.ordersPerRestaurantDay * 30;
  return [
    `### At scale: ${n(input.restaurants, 0)} restaurants × ${input.ordersPerRestaurantDay} orders a day, peaks at ${input.peakFactor}× the mean`,
    '',
    `Mean ${n(input.restaurants)} × ${input.ordersPerRestaurantDay} ÷ 86,400 s = ${n(result.meanOrdersPerSecond, 2)} orders/s; peak × ${input.peakFactor} = ${n(peak, 2)} orders/s. ` +
      `${input.seconds} simulated seconds at the peak (Poisson arrivals per restaurant, seed ${input.seed}); the busiest second had ${result.busiest.orders} orders.`,
    '',
    'Per order, measured by this run’s load:',
    '',
    table(['per order', 'measured', 'at the peak (× orders/s)', 'busiest simulated second'], [
      ['REST requests', n(mix.restRequestsPerOrder), n(mix.restRequestsPerOrder * peak, 0), n(result.busiest.restRequests, 0)],
      ['WebSocket messages', n(mix.messagesPerOrder), n(mix.messagesPerOrder * peak, 0), n(result.busiest.messages, 0)],
      ['WebSocket connections opened', n(mix.connectsPerOrder), n(mix.connectsPerOrder * peak, 0), n(result.busiest.connects, 0)],
      ['DynamoDB item writes', n([...mix.writesPerOrder.values()].reduce((a, b) => a + b, 0)), n(result.busiest.writeUnits / Math.max(1, result.busiest.orders) * peak, 0), n(result.busiest.writeUnits, 0)],
    ]),
    '',
    'Lambda concurrency (invocations per order × mean duration × orders per second):',
    '',
    table(['function', 'invocations per order', 'mean ms', 'at the peak', 'busiest second'], result.concurrency.map((f) => {
      const measured = mix.functions.get(f.name) as { perOrder: number; meanSeconds: number };
      return [f.name, n(measured.perOrder, 2), n(measured.meanSeconds * 1000), n(measured.perOrder * measured.meanSeconds * peak, 2), n(f.busiest, 2)];
    })),
    '',
    'Writes per partition for the keys whose rate grows with one restaurant’s orders (every other key is per session, order, token or connection, and spreads):',
    '',
    table(['key class', 'item writes per order', 'busiest restaurant’s busiest second', `limit per partition`], result.hotPartitions.map((p) => [p.keyClass, n(p.writesPerOrder, 2), n(p.busiestWritesPerSecond, 1), n(LIMITS.partitionWriteUnitsPerSecond, 0)])),
    '',
    'Against the limits, closest first:',
    '',
    table(['what', 'busiest second', 'limit', 'share', 'reached at about … restaurants'], checks.map((c) => [c.what, n(c.value, 1), n(c.limit, 0), `${((c.value / c.limit) * 100).toFixed(1)} %`, reachedAt(c)])),
    '',
    `Monthly: ${n(ordersPerMonth, 0)} orders × $${costPer1000.toFixed(4)} per 1,000 = **$${n((ordersPerMonth / 1000) * costPer1000, 0)}** (the cost model's variable costs; fixed costs per stage are in the README).`,
  ].join('\n');
}
