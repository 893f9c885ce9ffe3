import { ApiGatewayManagementApiClient, GetConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { localAwsEnv, localClient } from '../../lib/local/dynamodb-local';
import { startRuntime } from '../e2e/support/local-runtime';
import type { RuntimeProcess } from '../../lib/local/runtime-process';
import { runAdmin } from '../support/admin-cli';
import { strongPassword, uniqueName } from '../support/restaurant';

/** `npm start` as a whole behaves like the deployed stage where a bug could hide. */
let runtime: RuntimeProcess;
let token: string;
const STAFF_TOKEN_SECONDS = 4;

beforeAll(async () => {
  runtime = await startRuntime({ STAFF_TOKEN_TTL_SECONDS: String(STAFF_TOKEN_SECONDS) }, ['--ttl-sweep-seconds', '1']);
  const owner = { username: uniqueName('owner'), password: strongPassword() };
  const created = await runAdmin(['create-restaurant', '--name', 'Fidelity Bistro', '--currency', 'EUR', '--owner', owner.username], { env: { OWNER_PASSWORD: owner.password } });
  const { restaurantId } = JSON.parse(created.stdout);
  const login = await fetch(`${runtime.url}/v1/staff/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ restaurantId, ...owner }) });
  token = ((await login.json()) as { token: string }).token;
});

afterAll(async () => {
  await runtime?.stop();
});

/** A socket with its messages and its close code. */
async function open() {
  const ws = new WebSocket(`${runtime.webSocketUrl}/?token=${encodeURIComponent(token)}`);
  const messages: unknown[] = [];
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, messages, closed };
}
const until = async (check: () => boolean, timeoutMs = 8000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('npm start', () => {
  it("answers an action named like an object's own property as an unknown action, and lives on", async () => {
    const socket = await open();
    for (const action of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) socket.ws.send(JSON.stringify({ action }));
    await until(() => socket.messages.length === 4);
    expect(socket.messages).toEqual(Array(4).fill(expect.objectContaining({ type: 'error', data: expect.objectContaining({ code: 'UNKNOWN_ACTION' }) })));
    socket.ws.send(JSON.stringify({ action: 'ping' }));
    await until(() => socket.messages.length === 5);
    socket.ws.close();
  });

  it('closes a socket that sends a frame over 32 KB (1009) or a binary frame (1003), as API Gateway does', async () => {
    const big = await open();
    big.ws.send(JSON.stringify({ action: 'ping', padding: 'x'.repeat(40 * 1024) }));
    expect(await big.closed).toBe(1009);
    const binary = await open();
    binary.ws.send(Buffer.from([1, 2, 3]));
    expect(await binary.closed).toBe(1003);
  });

  it("answers GetConnection through the real SDK client, with the connection's constant connectedAt", async () => {
    const socket = await open();
    const db = DynamoDBDocumentClient.from(localClient(inject('dynamoDbEndpoint')));
    const tokenHash = createHash('sha256').update(token).digest('base64url');
    const links = await db.send(new QueryCommand({ TableName: inject('tableName'), KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)', ExpressionAttributeValues: { ':pk': `TOKEN#${tokenHash}`, ':c': 'CONNECTION#' } }));
    const connectionId = String(links.Items?.at(-1)?.connectionId);
    const management = new ApiGatewayManagementApiClient({
      endpoint: runtime.webSocketUrl.replace('ws://', 'http://'),
      region: localAwsEnv.AWS_REGION,
      credentials: { accessKeyId: localAwsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: localAwsEnv.AWS_SECRET_ACCESS_KEY },
    });
    const first = await management.send(new GetConnectionCommand({ ConnectionId: connectionId }));
    expect(first.ConnectedAt).toBeInstanceOf(Date);
    socket.ws.send(JSON.stringify({ action: 'ping' }));
    await until(() => socket.messages.length === 1);
    const second = await management.send(new GetConnectionCommand({ ConnectionId: connectionId }));
    expect(second.ConnectedAt?.getTime()).toBe(first.ConnectedAt?.getTime());
    expect(second.Identity?.SourceIp).toBe('127.0.0.1');
    socket.ws.close();
  });

  it("logs each function's lines under its own name", () => {
    const lines = runtime
      .logs()
      .split('\n')
      .filter((line) => line.includes('"login succeeded"'))
      .map((line) => JSON.parse(line) as { function_name: string });
    expect(lines.length).toBeGreaterThan(0);
    expect(new Set(lines.map((line) => line.function_name))).toEqual(new Set(['http-staff']));
  });

  it('closes the socket of a token that expired, through a TTL deletion and the stream', async () => {
    const socket = await open();
    expect(await socket.closed).toBeGreaterThan(0);
    const refused = await fetch(`${runtime.url}/v1/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(401);
  }, STAFF_TOKEN_SECONDS * 1000 + 15_000);

  // After the token's expiry test: a hundred requests first would spend the token's few seconds.
  it('reports its memory and the CPU time of all its threads, as the benchmarks read them', async () => {
    expect(runtime.residentMb()).toBeGreaterThan(10);
    const before = runtime.cpuTicks();
    expect(before).toBeGreaterThan(0);
    // A hundred documents served: CPU in the gateway and in the function's worker thread, far more than a clock tick (10 ms).
    for (let i = 0; i < 100; i++) expect((await fetch(`${runtime.url}/v1/openapi.json`)).status).toBe(200);
    expect(runtime.cpuTicks()).toBeGreaterThan(before);
  });
});

describe('npm start with a short WebSocket idle limit', () => {
  let idle: RuntimeProcess;
  beforeAll(async () => {
    idle = await startRuntime({}, ['--ws-idle-seconds', '2']);
  });
  afterAll(async () => {
    await idle?.stop();
  });

  it('closes a connection that stays idle past the limit with 1001, as API Gateway does after 10 minutes', async () => {
    const owner = { username: uniqueName('owner'), password: strongPassword() };
    const created = await runAdmin(['create-restaurant', '--name', 'Idle Bistro', '--currency', 'EUR', '--owner', owner.username], { env: { OWNER_PASSWORD: owner.password } });
    const login = await fetch(`${idle.url}/v1/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ restaurantId: JSON.parse(created.stdout).restaurantId, ...owner }),
    });
    const ws = new WebSocket(`${idle.webSocketUrl}/?token=${encodeURIComponent(((await login.json()) as { token: string }).token)}`);
    const opened = Date.now();
    const code = await new Promise<number>((resolve) => ws.once('close', (closeCode) => resolve(closeCode)));
    expect(code).toBe(1001);
    expect(Date.now() - opened).toBeGreaterThanOrEqual(1500);
  });
});
