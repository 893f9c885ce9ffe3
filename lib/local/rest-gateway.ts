import type { APIGatewayAuthorizerResult, APIGatewayEventRequestContext, APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody } from '../../shared/errors';
import { gatewayErrors } from '../../shared/http/gateway-errors';
import type { GatewayErrorType } from '../../shared/http/gateway-errors';
import { restRoutes } from '../../shared/http/routes';
import type { RestFunctionName, RestRoute } from '../../shared/http/routes';
import type { LocalFunction } from './function-host';
import { isAllowed } from './policy';
import { listen } from './listen';
import { decodeSegment, headerMaps, queryMaps } from './request-maps';
import { corsHeaders } from '../../shared/http/cors';

/**
 * What API Gateway accepts from a Lambda proxy integration: anything else (no status code, an
 * object body) is a malformed response, answered 502 with the DEFAULT_5XX gateway response.
 */
const ProxyResult = z.object({
  statusCode: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  multiValueHeaders: z.record(z.string(), z.array(z.union([z.string(), z.number(), z.boolean()]))).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});

/** API Gateway's own payload limit for REST APIs. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** And on the request line and headers together. */
const GATEWAY_MAX_HEADER_BYTES = 10 * 1024;
const ACCOUNT = '000000000000';
const API_ID = 'local';
const STAGE = 'local';

interface CompiledRoute {
  route: RestRoute;
  pattern: RegExp;
  paramNames: string[];
  fn: LocalFunction;
}

function compile(route: RestRoute, fn: LocalFunction): CompiledRoute {
  const paramNames: string[] = [];
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
    paramNames.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), paramNames, fn };
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= GATEWAY_MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > GATEWAY_MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** An answer API Gateway gives itself (a gateway response), in the contract's error shape with the request id. */
function gatewayAnswer(type: GatewayErrorType, requestId: string, override?: { code?: string; message?: string }): APIGatewayProxyResult {
  const error = gatewayErrors[type];
  const details = 'details' in error ? error.details : {};
  return {
    statusCode: 'status' in error ? error.status : 400,
    headers: {
      'Content-Type': 'application/json',
      ...corsHeaders(process.env.CORS_ORIGIN ?? ''),
      ...('headers' in error ? error.headers : {}),
      'X-Request-Id': requestId,
    },
    body: JSON.stringify(errorBody(override?.code ?? error.code, override?.message ?? error.message, requestId, details)),
  };
}

export interface RestGateway {
  url: string;
  close(): Promise<void>;
}

export interface RestGatewayOptions {
  /** The REQUEST authorizer, and each REST function of the manifest. */
  authorizer: LocalFunction;
  functions: Map<RestFunctionName, LocalFunction>;
  port: number;
  host?: string;
  /** Use the first X-Forwarded-For address as the source IP (for tests that simulate many clients). */
  trustForwardedFor: boolean;
  /** One line per request. */
  log: (line: Record<string, unknown>) => void;
}

/**
 * Serves every REST route of the manifest like API Gateway does: builds genuine REST proxy (v1)
 * events, runs the REQUEST authorizer for non-public routes and passes its context on as
 * `requestContext.authorizer`, and answers its own errors with the same gateway responses.
 */
export async function startRestGateway(options: RestGatewayOptions): Promise<RestGateway> {
  // Each function's entry serves its routes, as deployed: the entry dispatches by resource and method.
  const routes = Object.values(restRoutes).map((route) => compile(route, options.functions.get(route.fn) as LocalFunction));

  const sourceIpOf = (req: IncomingMessage): string => {
    const forwarded = options.trustForwardedFor ? String(req.headers['x-forwarded-for'] ?? '').split(',')[0]?.trim() : '';
    return forwarded || (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  };

  async function handle(req: IncomingMessage, requestId: string): Promise<APIGatewayProxyResult> {
    const gatewayError = (type: GatewayErrorType, override?: { code?: string; message?: string }) => gatewayAnswer(type, requestId, override);

    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    if (body === 'too-large') return gatewayError('REQUEST_TOO_LARGE');

    // CORS preflight, answered by API Gateway itself on every path a route is on.
    if (method === 'OPTIONS' && routes.some((compiled) => compiled.pattern.test(url.pathname))) {
      return {
        statusCode: 204,
        headers: {
          'Access-Control-Allow-Origin': process.env.CORS_ORIGIN ?? '',
          'Access-Control-Allow-Methods': 'GET,POST,PATCH,DELETE',
          'Access-Control-Allow-Headers': 'Content-Type,Authorization,Idempotency-Key',
          'Access-Control-Max-Age': '3600',
        },
        body: '',
      };
    }

    let match: { compiled: CompiledRoute; pathParameters: Record<string, string> } | undefined;
    for (const compiled of routes) {
      const found = compiled.route.method === method ? compiled.pattern.exec(url.pathname) : null;
      if (found) {
        const values = found.slice(1).map(decodeSegment);
        match = { compiled, pathParameters: Object.fromEntries(compiled.paramNames.map((name, i) => [name, values[i] as string])) };
        break;
      }
    }
    if (!match) return gatewayError('MISSING_AUTHENTICATION_TOKEN');
    const { route, fn } = match.compiled;

    const { headers, multiValueHeaders } = headerMaps(req);
    const now = new Date();
    const requestContext: APIGatewayEventRequestContext = {
      accountId: ACCOUNT,
      apiId: API_ID,
      authorizer: null,
      protocol: `HTTP/${req.httpVersion}`,
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: sourceIpOf(req),
        user: null,
        userAgent: req.headers['user-agent'] ?? null,
        userArn: null,
      },
      path: `/${STAGE}${url.pathname}`,
      stage: STAGE,
      requestId,
      requestTimeEpoch: now.getTime(),
      resourceId: API_ID,
      resourcePath: route.path,
    };
    const common = {
      resource: route.path,
      path: url.pathname,
      httpMethod: method,
      headers,
      multiValueHeaders,
      ...queryMaps(url),
      pathParameters: Object.keys(match.pathParameters).length > 0 ? match.pathParameters : null,
      stageVariables: null,
    };

    if (!(route.allow as readonly string[]).includes('PUBLIC')) {
      // The identity source is the Authorization header: without it API Gateway answers 401 itself.
      if (req.headers.authorization === undefined) return gatewayError('UNAUTHORIZED');
      const methodArn = `arn:aws:execute-api:local:${ACCOUNT}:${API_ID}/${STAGE}/${method}${url.pathname}`;
      let result: APIGatewayAuthorizerResult;
      try {
        result = (await options.authorizer.invoke({ type: 'REQUEST', methodArn, ...common, requestContext: { ...requestContext, authorizer: undefined } })) as APIGatewayAuthorizerResult;
      } catch (error) {
        return (error as Error).message === 'Unauthorized' ? gatewayError('UNAUTHORIZED') : gatewayError('AUTHORIZER_FAILURE');
      }
      if (!isAllowed(result, methodArn)) {
        const context = result.context ?? {};
        return gatewayError('ACCESS_DENIED', {
          code: context.errorCode as string | undefined,
          message: context.errorMessage as string | undefined,
        });
      }
      requestContext.authorizer = { ...result.context, principalId: result.principalId, integrationLatency: 0 };
    }

    const event: APIGatewayProxyEvent = {
      ...common,
      requestContext,
      body: body.length > 0 ? body.toString('utf8') : null,
      isBase64Encoded: false,
    };
    let result: unknown;
    try {
      result = await fn.invoke(event);
    } catch {
      // An error or a timeout of the function: API Gateway answers 502 through DEFAULT_5XX.
      return { ...gatewayError('DEFAULT_5XX'), statusCode: 502 };
    }
    const valid = ProxyResult.safeParse(result);
    if (!valid.success) {
      options.log({ level: 'ERROR', message: 'malformed Lambda proxy response', function: route.fn, requestId });
      return { ...gatewayError('DEFAULT_5XX'), statusCode: 502 };
    }
    return { ...valid.data, body: valid.data.body ?? '' } as APIGatewayProxyResult;
  }

  function send(res: ServerResponse, result: APIGatewayProxyResult, requestId: string) {
    res.statusCode = result.statusCode;
    res.setHeader('x-amzn-RequestId', requestId);
    for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
    for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) res.setHeader(name, values.map(String));
    res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
  }

  // API Gateway's limit on a REST request's line and headers together; Node answers a bigger one
  // (and a request that is no HTTP at all) before any handler, so those answers are written here.
  // Without a Host header Node would answer 400 itself, with no body; API Gateway's own answers are the contract's.
  const server = createServer({ maxHeaderSize: GATEWAY_MAX_HEADER_BYTES, requireHostHeader: false }, (req, res) => {
    const requestId = randomUUID();
    const started = performance.now();
    handle(req, requestId)
      .catch((error: unknown) => {
        options.log({ level: 'ERROR', message: 'local gateway error', requestId, error: (error as Error).message });
        return gatewayAnswer('DEFAULT_5XX', requestId);
      })
      .then((result) => {
        send(res, result, requestId);
        // Path only: query strings can carry tokens, and headers and bodies are never logged.
        options.log({
          message: 'request',
          method: req.method,
          path: (req.url ?? '/').split('?')[0],
          status: result.statusCode,
          durationMs: Math.round(performance.now() - started),
          requestId,
        });
      });
  });

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return void socket.destroy();
    const requestId = randomUUID();
    const refusal = gatewayAnswer(error.code === 'HPE_HEADER_OVERFLOW' ? 'REQUEST_TOO_LARGE' : 'DEFAULT_4XX', requestId);
    const headers = Object.entries({ ...refusal.headers, 'Content-Length': Buffer.byteLength(refusal.body), 'x-amzn-RequestId': requestId, Connection: 'close' });
    socket.end([`HTTP/1.1 ${refusal.statusCode} ${STATUS_CODES[refusal.statusCode]}`, ...headers.map(([name, value]) => `${name}: ${value}`), '', refusal.body].join('\r\n'));
    options.log({ message: 'request refused before routing', status: refusal.statusCode, reason: error.code, requestId });
  });

  const listening = await listen(server, options.port, options.host);
  return { url: `http://localhost:${listening.port}`, close: listening.close };
}
