import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { webSocketRoutes } from '../../shared/http/routes';
import type { WebSocketEvent, WebSocketResult } from '../../shared/http/ws-handler';
import type { LocalFunction } from './function-host';
import { isAllowed } from './policy';
import { listen } from './listen';
import { headerMaps, queryMaps } from './request-maps';
import type { ConnectionFault, FaultInjector } from './faults';

/** How long a `slow` fault holds a post. */
const SLOW_POST_MS = 2_000;

const API_ID = 'localws';
const STAGE = 'local';

/** API Gateway's WebSocket limits: a frame of 32 KB, a `PostToConnection` payload of 128 KB, 10 idle minutes, 2 hours. */
export const WEBSOCKET_LIMITS = { frameBytes: 32 * 1024, postBytes: 128 * 1024, idleSeconds: 10 * 60, lifetimeSeconds: 2 * 3600 };

export interface WebSocketGateway {
  url: string;
  /** Where the @connections API is (the same server). */
  managementUrl: string;
  close(): Promise<void>;
}

interface OpenSocket {
  socket: WebSocket;
  authorizer: Record<string, unknown>;
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
}

/**
 * The local API Gateway WebSocket API: runs the REQUEST authorizer and `$connect` on the handshake,
 * routes messages by `action` with genuine WebSocket proxy events (two-way routes answer on the
 * socket), runs `$disconnect`, and serves the `@connections` API (POST, GET, DELETE; 410 for unknown
 * ids) that the unmodified ApiGatewayManagementApiClient talks to.
 */
export async function startWebSocketGateway(options: {
  authorizer: LocalFunction;
  /** One function serves every route, as deployed: its entry dispatches by route key. */
  socketFunction: LocalFunction;
  port: number;
  host?: string;
  /** Shorter idle and lifetime limits (tests); API Gateway's otherwise. */
  limits?: Partial<typeof WEBSOCKET_LIMITS>;
  /** Faults to inject on @connections posts and deletes (operations POST, DELETE). */
  faults?: FaultInjector<ConnectionFault>;
  log: (line: Record<string, unknown>) => void;
}): Promise<WebSocketGateway> {
  const limits = { ...WEBSOCKET_LIMITS, ...options.limits };
  /** The port listened on: `options.port`, or the one the system gave for 0. */
  let port = options.port;
  const sockets = new Map<string, OpenSocket>();
  // A frame over the limit closes the connection with 1009, as API Gateway does.
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.frameBytes });

  const requestContext = (
    routeKey: string,
    eventType: WebSocketEvent['requestContext']['eventType'],
    connectionId: string,
    sourceIp: string,
    connectedAt = sockets.get(connectionId)?.connectedAt ?? Date.now(),
  ) => ({
    routeKey,
    eventType,
    connectionId,
    requestId: randomUUID(),
    extendedRequestId: randomUUID(),
    messageDirection: 'IN',
    stage: STAGE,
    apiId: API_ID,
    domainName: `127.0.0.1:${port}`,
    connectedAt,
    requestTimeEpoch: Date.now(),
    identity: { sourceIp },
  });

  /** The route's result, or a 500 when the function failed or answered something API Gateway cannot read. */
  const invoke = async (event: WebSocketEvent & Record<string, unknown>): Promise<WebSocketResult> => {
    const result = (await options.socketFunction.invoke(event, event.requestContext.requestId).catch(() => undefined)) as Partial<WebSocketResult> | undefined;
    return typeof result?.statusCode === 'number' ? { statusCode: result.statusCode, body: typeof result.body === 'string' ? result.body : undefined } : { statusCode: 500 };
  };

  function refuse(socket: Duplex, status: number, reason: string) {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const started = performance.now();
    const connectionId = randomBytes(12).toString('base64');
    const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const { headers, multiValueHeaders } = headerMaps(req);
    const query = queryMaps(url);
    const queryParameters = query.queryStringParameters ? query : {};
    const connectedAt = Date.now();
    const context = requestContext('$connect', 'CONNECT', connectionId, sourceIp, connectedAt);
    const methodArn = `arn:aws:execute-api:local:000000000000:${API_ID}/${STAGE}/$connect`;
    const finish = (status: number) =>
      options.log({ message: 'websocket connect', status, durationMs: Math.round(performance.now() - started), requestId: context.requestId });

    let result: APIGatewayAuthorizerResult;
    try {
      result = (await options.authorizer.invoke({ type: 'REQUEST', methodArn, headers, multiValueHeaders, ...queryParameters, stageVariables: {}, requestContext: context })) as APIGatewayAuthorizerResult;
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
      ...queryParameters,
      isBase64Encoded: false,
      requestContext: { ...context, authorizer: authorizerContext },
    });
    finish(connected.statusCode);
    if (connected.statusCode !== 200) return refuse(socket, connected.statusCode, 'Refused');

    wss.handleUpgrade(req, socket, head, (ws) => {
      const open: OpenSocket = { socket: ws, authorizer: authorizerContext, connectedAt, lastActiveAt: Date.now(), sourceIp };
      sockets.set(connectionId, open);
      // A protocol error (a frame over the limit) closes the socket with its code; it is no error of the runtime's.
      ws.on('error', () => undefined);
      // Messages of one connection are invoked independently, as API Gateway does: no ordering between them.
      ws.on('message', (data, isBinary) => {
        open.lastActiveAt = Date.now();
        if (isBinary) return ws.close(1003, 'Binary frames are not supported');
        void route(connectionId, open, data.toString());
      });
      ws.on('close', (code, reason) => {
        sockets.delete(connectionId);
        const context = { ...requestContext('$disconnect', 'DISCONNECT', connectionId, sourceIp, connectedAt), disconnectStatusCode: code, disconnectReason: reason.toString() };
        void invoke({ isBase64Encoded: false, requestContext: { ...context, authorizer: open.authorizer } });
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
    // Only the manifest's own route keys: `toString` or `__proto__` are no route, they go to $default.
    const routeKey = typeof action === 'string' && Object.hasOwn(webSocketRoutes, action) && !action.startsWith('$') ? action : '$default';
    const context = { ...requestContext(routeKey, 'MESSAGE', connectionId, open.sourceIp), authorizer: open.authorizer };
    const result = await invoke({ body, isBase64Encoded: false, requestContext: context });
    if (open.socket.readyState !== open.socket.OPEN) return;
    if (result.statusCode >= 500) {
      // What API Gateway sends when a route's integration fails.
      open.socket.send(JSON.stringify({ message: 'Internal server error', connectionId, requestId: context.requestId }));
      return;
    }
    const twoWay = (webSocketRoutes as Record<string, { returnResponse?: boolean }>)[routeKey]?.returnResponse;
    if (twoWay && result.body) open.socket.send(result.body);
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
    const fault = req.method === 'GET' ? undefined : options.faults?.pick(req.method ?? '');
    if (fault) options.log({ level: 'WARN', message: 'injected @connections fault', method: req.method, fault });
    if (fault === 'limit') return reply(429, { message: 'Rate exceeded' }, 'LimitExceededException');
    if (fault === 'error500') return reply(500, { message: 'Internal server error' }, 'InternalServerErrorException');
    if (fault === 'gone') return reply(410, { message: 'Gone' }, 'GoneException');
    if (fault === 'slow') await new Promise((resolve) => setTimeout(resolve, SLOW_POST_MS));
    if (!open || open.socket.readyState !== open.socket.OPEN) return reply(410, { message: 'Gone' }, 'GoneException');
    if (req.method === 'POST') {
      const payload = Buffer.concat(chunks);
      if (payload.length > limits.postBytes) return reply(413, { message: 'Payload too large' }, 'PayloadTooLargeException');
      open.socket.send(payload.toString('utf8'));
      return reply(200);
    }
    if (req.method === 'GET') {
      // The wire format of API Gateway's GetConnection, which the SDK client reads.
      return reply(200, {
        connectedAt: new Date(open.connectedAt).toISOString(),
        lastActiveAt: new Date(open.lastActiveAt).toISOString(),
        identity: { sourceIp: open.sourceIp, userAgent: '' },
      });
    }
    if (req.method === 'DELETE') {
      open.socket.close(1000, 'closed by server');
      return reply(204);
    }
    return reply(405, { message: 'Method not allowed' });
  }

  // API Gateway ends idle connections after 10 minutes and every connection after 2 hours.
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const open of sockets.values()) {
      if (now - open.lastActiveAt > limits.idleSeconds * 1000 || now - open.connectedAt > limits.lifetimeSeconds * 1000) open.socket.close(1001, 'Going away');
    }
  }, Math.min(limits.idleSeconds, 30) * 250);
  sweeper.unref();

  const server = createServer((req, res) => void management(req, res));
  server.on('upgrade', (req, socket, head) => void upgrade(req, socket, head));
  const listening = await listen(server, options.port, options.host);
  port = listening.port;
  return {
    url: `ws://localhost:${port}`,
    managementUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      clearInterval(sweeper);
      for (const open of sockets.values()) open.socket.terminate();
      wss.close();
      await listening.close();
    },
  };
}
