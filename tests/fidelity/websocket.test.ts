import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { freePort } from '../../lib/local/dynamodb-local';
import type { LocalFunction } from '../../lib/local/function-host';
import { startWebSocketGateway } from '../../lib/local/websocket-gateway';
import type { WebSocketGateway } from '../../lib/local/websocket-gateway';

/**
 * The local WebSocket API's event flow, with functions that record what API Gateway would give them:
 * how messages of one connection are invoked, and what `$disconnect` carries.
 */
type Context = { routeKey: string; connectionId: string; connectedAt: number; disconnectStatusCode?: number; disconnectReason?: string };
const events: Context[] = [];
let running = 0;
let mostAtOnce = 0;

const allowAll: LocalFunction = {
  invoke: async () => ({ principalId: 'p', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }] }, context: {} }),
  stop: async () => undefined,
};
const recorder: LocalFunction = {
  invoke: async (event) => {
    const { requestContext, body } = event as { requestContext: Context; body?: string };
    events.push(requestContext);
    running += 1;
    mostAtOnce = Math.max(mostAtOnce, running);
    await new Promise((resolve) => setTimeout(resolve, body ? (JSON.parse(body) as { waitMs: number }).waitMs : 0));
    running -= 1;
    return { statusCode: 200 };
  },
  stop: async () => undefined,
};

let gateway: WebSocketGateway;
beforeAll(async () => {
  gateway = await startWebSocketGateway({ authorizer: allowAll, socketFunction: recorder, port: await freePort(), log: () => undefined });
});
afterAll(async () => {
  await gateway?.close();
});

const until = async (check: () => boolean) => {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
const opened = async () => {
  const ws = new WebSocket(gateway.url);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return ws;
};

describe('the local WebSocket API', () => {
  it('invokes the messages of one connection independently, as API Gateway does', async () => {
    const ws = await opened();
    const before = events.length;
    mostAtOnce = 0;
    for (let i = 0; i < 3; i++) ws.send(JSON.stringify({ waitMs: 300 }));
    await until(() => events.length === before + 3 && running === 0);
    expect(mostAtOnce).toBe(3);
    // One connection, one connectedAt, whatever the event.
    ws.close();
    await until(() => events.at(-1)?.routeKey === '$disconnect');
    expect(new Set(events.slice(-5).map((context) => context.connectedAt)).size).toBe(1);
  });

  it("gives $disconnect the client's close code and reason", async () => {
    const ws = await opened();
    const connected = events.length;
    ws.close(4001, 'leaving the table');
    await until(() => events.length > connected);
    expect(events.at(-1)).toMatchObject({ routeKey: '$disconnect', disconnectStatusCode: 4001, disconnectReason: 'leaving the table' });
  });
});

/** True when something accepts a TCP connection at host:port. */
const accepts = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('what listens where', () => {
  // 127.0.0.2 reaches this machine too (all of 127/8 is loopback on Linux): only a server bound to every interface answers there.
  it('DynamoDB Local and the WebSocket API listen on 127.0.0.1 only', async () => {
    const dynamoDbPort = Number(new URL(inject('dynamoDbEndpoint')).port);
    const webSocketPort = Number(new URL(gateway.url).port);
    expect(await accepts('127.0.0.1', dynamoDbPort)).toBe(true);
    expect(await accepts('127.0.0.2', dynamoDbPort)).toBe(false);
    expect(await accepts('127.0.0.1', webSocketPort)).toBe(true);
    expect(await accepts('127.0.0.2', webSocketPort)).toBe(false);
  });
});
