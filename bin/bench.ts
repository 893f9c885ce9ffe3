#!/usr/bin/env node
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { ensureTable, startDynamoDbLocal } from '../lib/local/dynamodb-local';
import { useLocalEnvironment } from '../lib/local/runtime';
import { stages } from '../lib/stage-config';
import { spawnRuntime } from '../lib/local/runtime-process';
import { compareWithRaw } from './bench/compare';
import { measureColdStarts, synthesizeDev } from './bench/cold-start';
import { costPer1000Orders } from './bench/cost';
import { measureFanoutScale } from './bench/fanout-scale';
import { InvocationLog } from './bench/invocations';
import { runLoad } from './bench/load';
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
  --fanout-sockets <n>  sockets on one restaurant for the fan-out scale test (default 200)
  --cold-start-runs <n> fresh processes per function for import times (default 5)
  --bundles <dir>       a synthesized dev stage (cdk.out/dev) to take the bundles from; default: synthesize one
  --smoke               seconds-long run of every part (CI): tiny sizes, 1 cold start run
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
    'fanout-sockets': { type: 'string', default: '200' },
    'cold-start-runs': { type: 'string', default: '5' },
    bundles: { type: 'string' },
    smoke: { type: 'boolean', default: false },
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
function thinkMs() {
  const value = Number(values.think);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--think needs a whole number of milliseconds.\n\n${usage}`);
    process.exit(2);
  }
  return value;
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
  fanoutSockets: smoke ? 10 : positive('fanout-sockets'),
  coldStartRuns: smoke ? 1 : positive('cold-start-runs'),
};
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const tableName = 'qr-ordering-bench';
const started = new Date();
progress('starting DynamoDB Local (in memory) and the local runtime');
const dynamo = await startDynamoDbLocal();
await ensureTable(dynamo.endpoint, tableName);
const invocations = new InvocationLog();
const runtime = await spawnRuntime({ dynamoDbEndpoint: dynamo.endpoint, tableName, onLine: (line) => invocations.add(line) });
// The load generator creates restaurants with the domain functions, which read this environment on first use.
useLocalEnvironment(dynamo.endpoint, tableName);

try {
  const memoryMb = stages.dev.lambdaMemoryMb;

  progress(`load: ${options.restaurants} restaurants × ${options.tables} tables × ${options.guests} guests, ${options.kitchens} kitchen screens each, ${options.thinkMs} ms think time`);
  const firstLoadInvocation = invocations.all.length;
  const load = await runLoad(runtime, options, progress);
  const loadInvocations = invocations.all.slice(firstLoadInvocation);

  progress(`comparing ${options.samples} sequential samples per operation with their raw DynamoDB calls`);
  const comparisons = await compareWithRaw(runtime, dynamo.endpoint, tableName, options.samples);

  progress(`fan-out to ${options.fanoutSockets} sockets`);
  const scale = await measureFanoutScale(runtime, options.fanoutSockets);

  let bundles = values.bundles;
  if (!bundles) {
    bundles = '.local/bench/cdk.out';
    progress(`synthesizing the dev stage with bundling into ${bundles}`);
    synthesizeDev(bundles);
  }
  const coldStarts = await measureColdStarts(bundles, options.coldStartRuns, progress);

  const cost = costPer1000Orders({
    invocations: loadInvocations,
    orders: load.orders,
    memoryMb,
    webSocketMessages: load.sockets.messagesReceived,
    guestSockets: load.sockets.guests,
    kitchenScreensPerRestaurant: options.kitchens,
  });
  const cpu = cpus();
  console.log(
    [
      `## Benchmark run of ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      '',
      `Command: \`npm run bench -- ${process.argv.slice(2).join(' ')}\``.replace(' -- `', '`'),
      `Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; DynamoDB Local 3.3.0 (in memory); ` +
        'runtime, DynamoDB Local and this load generator share the machine.',
      '',
      report.loadSection(load, options.thinkMs),
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
  const failures = load.recorder.errors() + load.fanout.reduce((sum, f) => sum + f.lost, 0) + scale.missing;
  if (failures > 0) {
    progress(`${failures} failed requests or lost messages`);
    process.exitCode = 1;
  }
} finally {
  await runtime.stop();
  await dynamo.stop();
}
