import type { APIGatewayAuthorizerResult, Context } from 'aws-lambda';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { authorizer, webSocketFunction, webSocketRoutes } from '../../shared/http/routes';
import type { WebSocketEvent, WebSocketResult } from '../../shared/http/ws-handler';
import { isAllowed } from './policy';
import { lambdaContext, loadHandler } from './lambda-context';

type RouteHandler = (event: WebSocketEvent & Record<string, unknown>, context: Context) => Promise<WebSocketResult>;
type Authorizer = (event: Record<string, unknown>, context: Context) => Promise<APIGatewayAuthorizerResult>;

const API_ID = 'localws';
const STAGE = 'local';

export interface WebSocketGateway {
  url: string;
  close(): Promise<void>;
}

interface OpenSocket {
  socket: WebSocket;
  authorizer: Record<string, unknown>;
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  /** Messages of one connection are routed one after another, in order. */
  queue: Promise<void>;
}

function queryMaps(url: URL) {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return Object.keys(single).length ? { queryStringParameters: single, multiValueQueryStringParameters: multi } : {};
}

/**
 * The local API Gateway WebSocket API: runs the REQUEST authorizer and `$connect` on the handshake,
 * routes messages by `action` with genuine WebSocket proxy events (two-way routes answer on the
 * socket), runs `$disconnect`, and serves the `@connections` API (POST, GET, DELETE; 410 for unknown
 * ids) that the unmodified ApiGatewayManagementApiClient talks to.
 */
export async function startWebSocketGateway(options: {
  root: URL;
  port: number;
  log: (line: Record<string, unknown>) => void;
}): Promise<WebSocketGateway> {
  const authorize = await loadHandler<Authorizer>(options.root.href, authorizer.entry, options.log);
  // One function serves every route, as deployed: its entry dispatches by route key.
  const socketFunction = await loadHandler<RouteHandler>(options.root.href, webSocketFunction.entry, options.log);
  const sockets = new Map<string, OpenSocket>();
  const wss = new WebSocketServer({ noServer: true });

  const requestContext = (routeKey: string, eventType: WebSocketEvent['requestContext']['eventType'], connectionId: string, sourceIp: string) => ({
    routeKey,
    eventType,
    connectionId,
    requestId: randomUUID(),
    extendedRequestId: randomUUID(),
    messageDirection: 'IN',
    stage: STAGE,
    apiId: API_ID,
    domainName: `127.0.0.1:${options.port}`,
    connectedAt: sockets.get(connectionId)?.connectedAt ?? Date.now(),
    requestTimeEpoch: Date.now(),
    identity: { sourceIp },
  });

  const invoke = (event: WebSocketEvent & Record<string, unknown>) =>
    socketFunction(event, lambdaContext(webSocketFunction.entry, event.requestContext.requestId));

  function refuse(socket: Duplex, status: number, reason: string) {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const started = performance.now();
    const connectionId = randomBytes(12).toString('base64');
    const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, String(value)]));
    const multiValueHeaders = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, [String(value)]]));
    const context = requestContext('$connect', 'CONNECT', connectionId, sourceIp);
    const methodArn = `arn:aws:execute-api:local:000000000000:${API_ID}/${STAGE}/$connect`;
    const finish = (status: number) =>
      options.log({ message: 'websocket connect', status, durationMs: Math.round(performance.now() - started), requestId: context.requestId });

    let result: APIGatewayAuthorizerResult;
    try {
      result = await authorize({ type: 'REQUEST', methodArn, headers, multiValueHeaders, ...queryMaps(url), stageVariables: {}, requestContext: context }, lambdaContext('authorizer', randomUUID()));
    } catch (error) {
      finish(401);
      return refuse(socket, (error as Error).message === 'Unauthorized' ? 401 : 500, 'Unauthorized');
    }
    if (!isAllowed(result, methodArn)) {
      finish(403);
      return refuse(socket, 403, 'Forbidden');
    }
    const authorizerContext = { ...result.context, principalId: result.principalId };
    const connected = await invoke({
      headers,
      multiValueHeaders,
      ...queryMaps(url),
      isBase64Encoded: false,
      requestContext: { ...context, authorizer: authorizerContext },
    }).catch(() => ({ statusCode: 500 }));
    finish(connected.statusCode);
    if (connected.statusCode !== 200) return refuse(socket, connected.statusCode, 'Refused');

    wss.handleUpgrade(req, socket, head, (ws) => {
      const open: OpenSocket = { socket: ws, authorizer: authorizerContext, connectedAt: Date.now(), lastActiveAt: Date.now(), sourceIp, queue: Promise.resolve() };
      sockets.set(connectionId, open);
      ws.on('message', (data) => {
        open.lastActiveAt = Date.now();
        open.queue = open.queue.then(() => route(connectionId, open, data.toString()));
      });
      ws.on('close', () => {
        sockets.delete(connectionId);
        void invoke({ isBase64Encoded: false, requestContext: { ...requestContext('$disconnect', 'DISCONNECT', connectionId, sourceIp), authorizer: open.authorizer } });
      });
    });
  }

  async function route(connectionId: string, open: OpenSocket, body: string) {
    let action: unknown;
    try {
      action = (JSON.parse(body) as { action?: unknown }).action;
    } catch {
      action = undefined;
    }
    const routeKey = typeof action === 'string' && action in webSocketRoutes && !action.startsWith('$') ? action : '$default';
    const context = { ...requestContext(routeKey, 'MESSAGE', connectionId, open.sourceIp), authorizer: open.authorizer };
    const result = await invoke({ body, isBase64Encoded: false, requestContext: context }).catch(() => ({ statusCode: 500, body: undefined }));
    const twoWay = (webSocketRoutes as Record<string, { returnResponse?: boolean }>)[routeKey]?.returnResponse;
    if (twoWay && result.body && open.socket.readyState === open.socket.OPEN) open.socket.send(result.body);
  }

  /** `@connections/{id}`, with or without the stage prefix, as the management API client calls it. */
  async function management(req: IncomingMessage, res: ServerResponse) {
    const match = /^(?:\/[^/]+)?\/@connections\/([^/]+)$/.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
    const connectionId = match ? decodeURIComponent(match[1] as string) : undefined;
    const open = connectionId ? sockets.get(connectionId) : undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const reply = (status: number, body?: unknown, errorType?: string) => {
      res.writeHead(status, { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    if (!match) return reply(404, { message: 'Not found' });
    if (!open || open.socket.readyState !== open.socket.OPEN) return reply(410, { message: 'Gone' }, 'GoneException');
    if (req.method === 'POST') {
      open.socket.send(Buffer.concat(chunks).toString('utf8'));
      return reply(200);
    }
    if (req.method === 'GET') {
      return reply(200, {
        ConnectedAt: new Date(open.connectedAt).toISOString(),
        LastActiveAt: new Date(open.lastActiveAt).toISOString(),
        Identity: { SourceIp: open.sourceIp, UserAgent: '' },
      });
    }
    if (req.method === 'DELETE') {
      open.socket.close(1000, 'closed by server');
      return reply(204);
    }
    return reply(405, { message: 'Method not allowed' });
  }

  const server = createServer((req, res) => void management(req, res));
  server.on('upgrade', (req, socket, head) => void upgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    url: `ws://localhost:${options.port}`,
    close: async () => {
      for (const open of sockets.values()) open.socket.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
