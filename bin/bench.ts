#!/usr/bin/env node
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { ensureTable, startDynamoDbLocal } from '../lib/local/dynamodb-local';
import { useLocalEnvironment } from '../lib/local/runtime';
import { stages } from '../lib/stage-config';
import { spawnRuntime } from '../lib/local/runtime-process';
import { compareWithRaw } from './bench/compare';
import { bundles, measureColdStarts, synthesizeDev } from './bench/cold-start';
import { ASSUMPTIONS, costPer1000Orders } from './bench/cost';
import { measuredMix, simulateScale } from './bench/scale';
import { measureFanoutScale } from './bench/fanout-scale';
import { KEEP_ALIVE_TICKETS, measureKeepAlive } from './bench/keepalive';
import { InvocationLog } from './bench/invocations';
import { measureVisitEnd } from './bench/visit-end';
import { runLoad } from './bench/load';
import { startDynamoDbProbe } from './bench/probe';
import * as report from './bench/report';

const usage = `npm run bench [-- options]

Runs the local runtime against DynamoDB Local and prints, per operation: latency, throughput, the
DynamoDB round trips and capacity units, the same calls issued raw, fan-out latency, cold starts,
a 200-socket fan-out and the cost of 1,000 orders on AWS. Progress goes to stderr, the report to stdout.

  --restaurants <n>     restaurants (default 2)
  --tables <n>          tables per restaurant, half FAMILY, half INDIVIDUAL (default 10)
  --guests <n>          guests (phones) per table (default 4)
  --kitchens <n>        kitchen screens per restaurant (default 3)
  --lines <n>           cart lines each guest adds (default 3)
  --think <ms>          mean pause before each tap of a guest or kitchen screen (default 1000; 0 = flat out)
  --samples <n>         sequential samples per operation for the raw comparison (default 100)
  --fanout-sockets <n,…> sockets on one restaurant for the fan-out scale test, one run each (default 200,1000)
  --cold-start-runs <n> fresh processes per function for import times (default 5)
  --bundles <dir>       a synthesized dev stage (cdk.out/dev) to take the bundles from; default: synthesize one
  --smoke               seconds-long run of every part (CI): tiny sizes, 1 cold start run

The service under faults and over time (only the load and its end-state checks run; see RELIABILITY.md):
  --dynamodb-faults <plan>    faults between the functions and DynamoDB Local, as npm start takes them,
                              e.g. 0.01 (1 % of calls, every kind)
  --connection-faults <plan>  faults on the fan-out's @connections posts, e.g. rate=0.05,kinds=limit+error500+slow
  --restart-at <s>            stop the runtime this many seconds into the service (after the restaurants'
                              set-up) and start it again on the same ports (the table's data kept)
  --soak <duration>           serve every table again and again for this long (e.g. 30m, 90s), then compare
                              the first and the last five minutes (or fifths, in a shorter run)

Scale (SCALE.md): the load, then its measured order mix replayed against the capacity model:
  --scale                     10,000 restaurants of 300 orders a day, peaks at 5× the day's mean
  --scale-restaurants <n>     another number of restaurants
`;

const { values } = parseArgs({
  options: {
    restaurants: { type: 'string', default: '2' },
    tables: { type: 'string', default: '10' },
    guests: { type: 'string', default: '4' },
    kitchens: { type: 'string', default: '3' },
    lines: { type: 'string', default: '3' },
    think: { type: 'string', default: '1000' },
    samples: { type: 'string', default: '100' },
    'fanout-sockets': { type: 'string', default: '200,1000' },
    'cold-start-runs': { type: 'string', default: '5' },
    bundles: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    'dynamodb-faults': { type: 'string' },
    'connection-faults': { type: 'string' },
    'restart-at': { type: 'string' },
    soak: { type: 'string' },
    scale: { type: 'boolean', default: false },
    'scale-restaurants': { type: 'string', default: '10000' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const positive = (name: keyof typeof values) => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} needs a whole number of at least 1.\n\n${usage}`);
    process.exit(2);
  }
  return value;
};
function socketCounts() {
  const counts = String(values['fanout-sockets']).split(',').map(Number);
  if (!counts.every((n) => Number.isInteger(n) && n >= 2)) {
    console.error(`--fanout-sockets needs whole numbers of at least 2, comma-separated.\n\n${usage}`);
    process.exit(2);
  }
  return counts;
}
function thinkMs() {
  const value = Number(values.think);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--think needs a whole number of milliseconds.\n\n${usage}`);
    process.exit(2);
  }
  return value;
}
/** `30m`, `90s`, `1h` or plain seconds. */
function seconds(name: 'soak' | 'restart-at'): number | undefined {
  const text = values[name];
  if (text === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text);
  if (!match || Number(match[1]) <= 0) {
    console.error(`--${name} needs a duration such as 90s, 30m or 1h.\n\n${usage}`);
    process.exit(2);
  }
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[(match[2] ?? 's') as 's' | 'm' | 'h'];
}
const smoke = values.smoke;
const options = {
  restaurants: smoke ? 1 : positive('restaurants'),
  tables: smoke ? 2 : positive('tables'),
  guests: smoke ? 2 : positive('guests'),
  kitchens: smoke ? 1 : positive('kitchens'),
  lines: smoke ? 2 : positive('lines'),
  thinkMs: smoke ? 0 : thinkMs(),
  samples: smoke ? 5 : positive('samples'),
  fanoutSockets: smoke ? [10] : socketCounts(),
  coldStartRuns: smoke ? 1 : positive('cold-start-runs'),
  soakSeconds: seconds('soak'),
};
const restartAtSeconds = seconds('restart-at');
const faultArgs = (['dynamodb-faults', 'connection-faults'] as const).flatMap((name) => (values[name] === undefined ? [] : [`--${name}`, values[name] as string]));
/** Faults, a restart or a soak: the run is about the service holding up, so only the load and its checks run. */
const serviceOnly = faultArgs.length > 0 || restartAtSeconds !== undefined || options.soakSeconds !== undefined;
const scaleRestaurants = values.scale ? positive('scale-restaurants') : undefined;
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);
if (values.bundles !== undefined) {
  try {
    bundles(values.bundles);
  } catch (error) {
    console.error(`--bundles ${values.bundles}: ${(error as Error).message}`);
    process.exit(2);
  }
}

const tableName = 'qr-ordering-bench';
const started = new Date();
progress('starting DynamoDB Local (in memory) and the local runtime');
const dynamo = await startDynamoDbLocal();
await ensureTable(dynamo.endpoint, tableName);
const invocations = new InvocationLog();
const startRuntime = (args: string[] = []) =>
  spawnRuntime({
    dynamoDbEndpoint: dynamo.endpoint,
    tableName,
    args: [...faultArgs, ...args],
    onLine: (line) => {
      invocations.add(line);
      // What went wrong in the runtime, as it happens (injected faults are expected and not repeated here).
      if (line.includes('"level":"ERROR"') && !line.includes('injected')) progress(`runtime: ${line.slice(0, 1500)}`);
    },
  });
let runtime = await startRuntime();
// The load generator creates restaurants with the domain functions, which read this environment on first use.
useLocalEnvironment(dynamo.endpoint, tableName);
const memory: { at: number; mb: number }[] = [];
const sampleMemory = () => memory.push({ at: performance.now(), mb: runtime.residentMb() });

try {
  const memoryMb = stages.dev.lambdaMemoryMb;
  const machine = () => {
    const cpu = cpus();
    return (
      `Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; DynamoDB Local 3.3.0 (in memory); ` +
      'runtime, DynamoDB Local and this load generator share the machine.'
    );
  };
  const heading = [
    `## Benchmark run of ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Command: \`npm run bench -- ${process.argv.slice(2).join(' ')}\``.replace(' -- `', '`'),
    machine(),
    '',
  ];

  progress(
    `load: ${options.restaurants} restaurants × ${options.tables} tables × ${options.guests} guests, ${options.kitchens} kitchen screens each, ${options.thinkMs} ms think time` +
      (options.soakSeconds ? `, for ${options.soakSeconds} s` : ''),
  );
  const firstLoadInvocation = invocations.all.length;
  let lastLoadInvocation = Number.POSITIVE_INFINITY;
  sampleMemory();
  // Only a soak reports DynamoDB Local's own pace: other runs do not add the probe's calls to their load.
  const probe = options.soakSeconds ? startDynamoDbProbe(dynamo.endpoint, tableName) : undefined;
  const load = await runLoad(runtime, options, progress, {
    restartAtSeconds,
    restartRuntime: async () => {
      const ports = ['--port', new URL(runtime.url).port, '--ws-port', new URL(runtime.webSocketUrl).port];
      await runtime.stop();
      runtime = await startRuntime(ports);
    },
    tick: sampleMemory,
    loadDone: () => {
      lastLoadInvocation = invocations.all.length;
    },
  });
  sampleMemory();
  probe?.stop();
  const loadInvocations = invocations.all.slice(firstLoadInvocation, lastLoadInvocation);
  const failures = () => load.recorder.errors() + load.endState.findings.length;
  /** What the load's order flow costs on AWS, its sockets kept open for the hours they would be (the scale model and the full report print it). */
  const costOfLoad = async () => {
    progress('measuring what keeping sockets open costs (pings and kitchen syncs) and what ending a visit costs');
    return costPer1000Orders({
      invocations: loadInvocations,
      orders: load.orders,
      memoryMb,
      webSocketMessages: load.sockets.billedMessages,
      guestSockets: load.sockets.guests,
      kitchenScreensPerRestaurant: options.kitchens,
      keepAlive: await measureKeepAlive(runtime, invocations, KEEP_ALIVE_TICKETS, smoke ? 2 : 5),
      // A soak closes every session it serves within the load; other runs leave them open for the end-state checks, so one visit's end is measured and priced per visit.
      ...(options.soakSeconds
        ? { visits: 0, visitEnd: { phones: 0, invocations: [], frames: 0 } }
        : { visits: load.rounds, visitEnd: await measureVisitEnd(runtime, invocations, Math.max(1, Math.round(load.sockets.guests / load.rounds))) }),
    });
  };

  if (scaleRestaurants !== undefined) {
    const mix = measuredMix(loadInvocations, load.orders, load.sockets.billedMessages);
    const input = { restaurants: scaleRestaurants, ordersPerRestaurantDay: ASSUMPTIONS.ordersPerRestaurantDay, peakFactor: 5, seconds: 600, seed: 1 };
    const cost = await costOfLoad();
    console.log([...heading, report.loadSection(load, options.thinkMs), '', report.scaleSection(mix, simulateScale(mix, input), input, cost.total)].join('\n'));
  } else if (serviceOnly) {
    console.log([...heading, report.loadSection(load, options.thinkMs), '', report.endStateSection(load, faultArgs), '', ...(options.soakSeconds ? [report.soakSection(load, memory, probe?.samples ?? []), ''] : [])].join('\n'));
  } else {
    progress(`comparing ${options.samples} sequential samples per operation with their raw DynamoDB calls`);
    const comparisons = await compareWithRaw(runtime, dynamo.endpoint, tableName, options.samples);

    const scale = [];
    for (const sockets of options.fanoutSockets) {
      progress(`fan-out to ${sockets} sockets`);
      scale.push(await measureFanoutScale(runtime, sockets));
    }

    const cost = await costOfLoad();
    // A Lambda init has its environment to itself: the bundles are imported on a quiet machine.
    await runtime.stop();
    await dynamo.stop();

    let bundleDir = values.bundles;
    if (!bundleDir) {
      bundleDir = '.local/bench/cdk.out';
      progress(`synthesizing the dev stage with bundling into ${bundleDir}`);
      synthesizeDev(bundleDir);
    }
    const coldStarts = await measureColdStarts(bundleDir, options.coldStartRuns, progress);

    console.log(
      [
        ...heading,
        report.loadSection(load, options.thinkMs),
        '',
        report.endStateSection(load, faultArgs),
        '',
        report.comparisonSection(
          comparisons,
          invocations,
          [...load.requestIds].filter(([operation]) => !comparisons.some((c) => c.operation === operation)),
        ),
        '',
        report.fanoutScaleSection(scale),
        '',
        report.coldStartSection(coldStarts, options.coldStartRuns),
        '',
        report.costSection(cost, memoryMb),
      ].join('\n'),
    );
    const missing = scale.reduce((sum, run) => sum + run.missing, 0);
    if (missing > 0) {
      progress(`${missing} sockets missed the fan-out scale test's order`);
      process.exitCode = 1;
    }
  }
  if (failures() > 0) {
    progress(`${load.recorder.errors()} failed requests and ${load.endState.findings.length} end-state findings`);
    process.exitCode = 1;
  }
} finally {
  await runtime.stop();
  await dynamo.stop();
}
