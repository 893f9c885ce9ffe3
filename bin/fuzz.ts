#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ensureTable, startDynamoDbLocal } from '../lib/local/dynamodb-local';
import { spawnRuntime } from '../lib/local/runtime-process';
import { useLocalEnvironment } from '../lib/local/runtime';
import { formatReport, runFuzz } from './fuzz/run';

const usage = `npm run fuzz [-- options]

Starts DynamoDB Local (in memory) and the local runtime, then sends generated hostile requests, one at
a time, built from the served OpenAPI document: the operations with fixtures' ids and tokens of every
kind, wrong and missing fields, odd unicode, bytes that are no UTF-8, bad percent-encodings, prototype
names, giant and repeated headers, wrong content types, other tenants' ids; and requests for no route.
Every answer must be below 500, in the contract's error shape with its request id, with a status and
code the document declares; a refused request must change nothing (the table's stream is read after each).
Prints counts by status and every finding; exits 1 when there is one.

  --requests <n>       how many (default 10000)
  --seed <n>           the same seed sends the same requests (default 1)
  --max-seconds <n>    stop sending after this long (default 1800)
  --refresh-every <n>  new logins, table, session and order every n requests (default 500)
`;

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    'max-seconds': { type: 'string', default: '1800' },
    'refresh-every': { type: 'string', default: '500' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const whole = (name: keyof typeof values, min: number) => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < min) {
    console.error(`--${name} needs a whole number of at least ${min}.\n\n${usage}`);
    process.exit(2);
  }
  return value;
};
const options = { requests: whole('requests', 1), seed: whole('seed', 0), maxSeconds: whole('max-seconds', 1), refreshEvery: whole('refresh-every', 1) };
const progress = (line: string) => process.stderr.write(`[fuzz] ${line}\n`);

const tableName = 'qr-ordering-fuzz';
progress('starting DynamoDB Local (in memory) and the local runtime');
const dynamo = await startDynamoDbLocal();
await ensureTable(dynamo.endpoint, tableName);
const runtime = await spawnRuntime({ dynamoDbEndpoint: dynamo.endpoint, tableName });
// The fixtures' restaurants are made with the domain function, which reads this environment.
useLocalEnvironment(dynamo.endpoint, tableName, { POWERTOOLS_LOG_LEVEL: 'SILENT' });
try {
  const report = await runFuzz({ apiUrl: runtime.url, dynamoDbEndpoint: dynamo.endpoint, tableName, ...options, progress });
  console.log(formatReport(report, options.requests));
  process.exitCode = report.findings.length > 0 ? 1 : 0;
} finally {
  await runtime.stop();
  await dynamo.stop();
}
