#!/usr/bin/env node
import { networkInterfaces } from 'node:os';
import { parseArgs } from 'node:util';
import { LOCAL_TABLE_NAME, startLocalRuntime } from '../lib/local/runtime';
import { seedDemo } from '../lib/local/seed';
import { CONNECTION_FAULTS, DYNAMODB_FAULTS, parseFaultPlan } from '../lib/local/faults';
import type { FaultPlan } from '../lib/local/faults';
import { buildWebApps, serveWebApps } from '../lib/local/web-app';

const usage = `npm start [-- options]

  --port <n>               REST API port (default 3000; 0 picks a free one)
  --web-port <n>           the guest app, what tables' QR codes open (default 5173; 0 picks a free one)
  --no-web                 do not build and serve the guest app (the API only)
  --no-web-build           serve the guest app as last built (web/guest/dist), without building it again
  --ws-port <n>            WebSocket API port (default 3001; 0 picks a free one)
  --dynamodb-port <n>      DynamoDB Local port (default 8000)
  --in-memory              keep no data across restarts (default: data in .local/dynamodb)
  --dynamodb-endpoint <u>  use an already running DynamoDB Local instead of starting one
  --seed demo              create a demo restaurant with one login per role and print them
  --set NAME=VALUE         override a function environment value (repeatable), e.g. --set PIN_LOCKOUT_SECONDS=5
  --trust-forwarded-for    take the client IP from X-Forwarded-For (tests simulating many clients only)
  --ws-idle-seconds <n>    close WebSocket connections idle this long (default API Gateway's 600; tests use less)
  --ttl-sweep-seconds <n>  how often expired items are deleted, as DynamoDB's TTL does (default 30)
  --dynamodb-faults <plan> inject DynamoDB faults between the functions and DynamoDB Local: a rate such as 0.01,
                           or rate=0.05,kinds=throttle+error500+timeout+reset+lostAnswer,ops=TransactWriteItems,seed=7
  --connection-faults <plan>
                           inject faults on the fan-out's @connections calls: kinds limit, error500, slow, gone
  --host <address>         where the guest app, the REST and WebSocket APIs listen (default 127.0.0.1;
                           0.0.0.0 lets a phone on the same Wi-Fi in: QR codes and the API's CORS origin then
                           name this machine's network address)

Stream records the local fan-out gave up on (the DLQ when deployed): .local/stream-dead-letters.jsonl
`;

const { values } = parseArgs({
  allowNegative: true,
  options: {
    port: { type: 'string', default: '3000' },
    'web-port': { type: 'string', default: '5173' },
    web: { type: 'boolean', default: true },
    'web-build': { type: 'boolean', default: true },
    'ws-port': { type: 'string', default: '3001' },
    'dynamodb-port': { type: 'string', default: '8000' },
    'in-memory': { type: 'boolean', default: false },
    'dynamodb-endpoint': { type: 'string' },
    'table-name': { type: 'string', default: LOCAL_TABLE_NAME },
    seed: { type: 'string' },
    set: { type: 'string', multiple: true, default: [] },
    'trust-forwarded-for': { type: 'boolean', default: false },
    host: { type: 'string', default: '127.0.0.1' },
    'ttl-sweep-seconds': { type: 'string', default: '30' },
    'ws-idle-seconds': { type: 'string', default: '600' },
    'dynamodb-faults': { type: 'string' },
    'connection-faults': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (values.seed !== undefined && values.seed !== 'demo') {
  console.error(`Unknown seed "${values.seed}". The only seed is "demo".\n\n${usage}`);
  process.exit(2);
}

const overrides: Record<string, string> = {};
for (const assignment of values.set) {
  const [name, ...value] = assignment.split('=');
  if (!name || value.length === 0) {
    console.error(`--set needs NAME=VALUE, got "${assignment}".\n\n${usage}`);
    process.exit(2);
  }
  overrides[name] = value.join('=');
}

/** A fault plan from its option, or the usage and exit 2. */
function faultPlan<K extends string>(option: 'dynamodb-faults' | 'connection-faults', kinds: readonly K[]): FaultPlan<K> | undefined {
  const spec = values[option];
  if (spec === undefined) return undefined;
  try {
    return parseFaultPlan(spec, kinds);
  } catch (error) {
    console.error(`--${option}: ${(error as Error).message}.\n\n${usage}`);
    process.exit(2);
  }
}
const faults = { dynamoDb: faultPlan('dynamodb-faults', DYNAMODB_FAULTS), connections: faultPlan('connection-faults', CONNECTION_FAULTS) };

/** How other devices reach this machine: the address asked for, or for 0.0.0.0 the first external IPv4 address. */
function publicHost(host: string): string {
  if (host === '127.0.0.1' || host === 'localhost') return 'localhost';
  if (host !== '0.0.0.0') return host;
  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address?.family === 'IPv4' && !address.internal);
  return external?.address ?? 'localhost';
}

/** The API's URL as the browser that asked for /config.json reaches it: by the host name it used for the app. */
const asSeenFrom = (url: string, requestHost: string | undefined) => {
  if (!requestHost) return url;
  const seen = new URL(url);
  seen.hostname = new URL(`http://${requestHost}`).hostname;
  return seen.toString().replace(/\/$/, '');
};

// The guest app first: its origin is what QR codes point at and the one origin the API lets browsers call from.
let apiUrls = { apiUrl: '', webSocketUrl: '' };
const guestApp = values.web
  ? await (values['web-build'] ? buildWebApps() : Promise.resolve()).then(() =>
      serveWebApps({
        port: Number(values['web-port']),
        host: values.host,
        config: (requestHost) => ({ apiUrl: asSeenFrom(apiUrls.apiUrl, requestHost), webSocketUrl: asSeenFrom(apiUrls.webSocketUrl, requestHost) }),
      }),
    )
  : undefined;
const siteOrigin = guestApp ? `http://${publicHost(values.host)}:${new URL(guestApp.url).port}` : undefined;
const site: Record<string, string> = siteOrigin ? { CORS_ORIGIN: siteOrigin, GUEST_ORDERING_URL: `${siteOrigin}/t` } : {};

const runtime = await startLocalRuntime({
  restPort: Number(values.port),
  webSocketPort: Number(values['ws-port']),
  dynamoDbPort: Number(values['dynamodb-port']),
  dynamoDbEndpoint: values['dynamodb-endpoint'],
  inMemory: values['in-memory'],
  tableName: values['table-name'],
  overrides: { ...site, ...overrides },
  trustForwardedFor: values['trust-forwarded-for'],
  host: values.host,
  ttlSweepSeconds: Number(values['ttl-sweep-seconds']),
  webSocketIdleSeconds: Number(values['ws-idle-seconds']),
  faults,
  log: (line) => console.log(JSON.stringify({ level: 'INFO', timestamp: new Date().toISOString(), ...line })),
});

apiUrls = { apiUrl: runtime.restUrl, webSocketUrl: runtime.webSocketUrl };
if (siteOrigin) {
  console.log(`Guest app: ${siteOrigin}/t?t=<tableCode> (what the tables' QR codes open)`);
  console.log(`Staff app: ${siteOrigin}/staff/ (kitchen display and floor)`);
}
console.log(`REST API: ${runtime.restUrl}`);
console.log(`WebSocket API: ${runtime.webSocketUrl}`);
console.log(`DynamoDB Local: ${runtime.dynamoDbEndpoint} (table ${values['table-name']})`);

if (values.seed === 'demo') {
  const seed = await seedDemo();
  console.log(`Demo restaurant ${seed.restaurantId}: ${seed.menuItems} menu items (GET /v1/restaurants/${seed.restaurantId}/menu).`);
  if (siteOrigin) console.log(`Staff sign-in with the restaurant filled in: ${siteOrigin}/staff/?r=${seed.restaurantId}`);
  console.log('Logins (POST /v1/staff/login with this restaurantId):');
  console.table(seed.logins);
  console.log('Tables:');
  console.table(seed.tables);
}

let closing = false;
const shutdown = async (code = 0) => {
  if (closing) return;
  closing = true;
  // A stop that hangs (its DynamoDB went away first, say) must not keep the process running.
  setTimeout(() => process.exit(code), 10_000).unref();
  // Also stops the DynamoDB Local this runtime started: nothing is left running.
  await runtime.close();
  await guestApp?.close();
  process.exit(code);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
// A stray rejection is logged, never the end of the runtime; a thrown error that nothing caught shuts it down cleanly.
process.on('unhandledRejection', (reason) => console.error(JSON.stringify({ level: 'ERROR', message: 'unhandled rejection in the local runtime', error: String(reason) })));
process.on('uncaughtException', (error) => {
  // Once stopping, an error (such as EPIPE from a parent that is gone) is not logged: logging it would throw again.
  if (closing) return;
  void shutdown(1);
  console.error(JSON.stringify({ level: 'ERROR', message: 'uncaught exception: the local runtime stops', error: error.message }));
});
