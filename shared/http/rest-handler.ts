import middy from '@middy/core';
import type { MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type * as z from 'zod';
import { fromAuthorizerContext } from '../auth/principal';
import type { GuestPrincipal, Principal, StaffPrincipal } from '../auth/principal';
import {
  AppError,
  BadJsonError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthenticatedError,
  ValidationError,
  errorBody,
} from '../errors';
import { idsOf, recordAudit, withAuditSubject } from '../audit/audit';
import { env } from '../config/env';
import type { AuditSubject } from '../audit/audit';
import { logger } from '../observability/logger';
import { metrics } from '../observability/metrics';
import type { Caller, RestRoute } from './routes';

/** Bodies above this size are refused with 413 before they are parsed. */
export const MAX_BODY_BYTES = 64 * 1024;

type Schema = z.ZodType;
interface Schemas {
  body?: Schema;
  query?: Schema;
  params?: Schema;
}
type Parsed<S> = S extends Schema ? z.output<S> : undefined;

/** The principal type a route's `allow` list guarantees to its handler. */
type PrincipalFor<A extends readonly Caller[]> = 'PUBLIC' extends A[number]
  ? undefined
  : Exclude<A[number], 'GUEST'> extends never
    ? GuestPrincipal
    : 'GUEST' extends A[number]
      ? Principal
      : StaffPrincipal;

export interface RestRequest<S extends Schemas, P> {
  body: Parsed<S['body']>;
  query: Parsed<S['query']>;
  params: Parsed<S['params']>;
  principal: P;
  requestId: string;
  sourceIp: string;
  /** Request headers, names in lower case. */
  headers: Record<string, string | undefined>;
  /** The Lambda context (Powertools idempotency needs the remaining time). */
  context: Context;
}

export interface RestResult {
  status: number;
  /** Sent as JSON, unless `contentType` is set: then it is a string sent as is. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

type ParsedEvent = APIGatewayProxyEvent & { jsonBody?: unknown };

/** Uses API Gateway's request id (the one clients see) as the logs' correlation id. */
const correlateRequest = (): MiddlewareObj<ParsedEvent> => ({
  before: ({ event }) => logger.setCorrelationId(event.requestContext.requestId),
});

/** Enforces the 64 KB limit and parses the JSON body once (400 BAD_JSON, 413 PAYLOAD_TOO_LARGE). */
const jsonBody = (): MiddlewareObj<ParsedEvent> => ({
  before: ({ event }) => {
    if (event.body === null || event.body === undefined || event.body === '') return;
    const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
    try {
      event.jsonBody = JSON.parse(raw);
    } catch {
      throw new BadJsonError();
    }
  },
});

/** The one error mapper: AppError by its fields, anything else 500 INTERNAL (logged, never shown). */
function errorResult(error: unknown): RestResult & { code: string } {
  if (error instanceof AppError) {
    if (error.status >= 500) logger.error('request failed', { error });
    return { status: error.status, code: error.code, headers: error.headers, body: error };
  }
  logger.error('unexpected error', { error: error as Error });
  return { status: 500, code: 'INTERNAL', body: undefined };
}

function errorResponse(error: unknown, requestId: string): { response: APIGatewayProxyResult; code: string } {
  const { status, code, headers, body } = errorResult(error);
  const message = body instanceof AppError ? body.message : 'Something went wrong. Quote the request id if you report it.';
  const details = body instanceof AppError ? body.details : {};
  return { code, response: respond(requestId, { status, headers, body: errorBody(code, message, requestId, details) }) };
}

/** Errors raised before the handler runs (bad JSON, too large) get the same mapping. */
const errorResponses = (): MiddlewareObj<ParsedEvent, APIGatewayProxyResult> => ({
  onError: (request) => {
    request.response = errorResponse(request.error, request.event.requestContext.requestId).response;
  },
});

function respond(requestId: string, result: RestResult): APIGatewayProxyResult {
  const raw = result.contentType !== undefined;
  return {
    statusCode: result.status,
    headers: {
      ...(result.body === undefined ? {} : { 'Content-Type': result.contentType ?? 'application/json' }),
      ...(env.CORS_ORIGIN ? { 'Access-Control-Allow-Origin': env.CORS_ORIGIN, Vary: 'Origin' } : {}),
      'X-Request-Id': requestId,
      ...result.headers,
    },
    body: result.body === undefined ? '' : raw ? String(result.body) : JSON.stringify(result.body),
  };
}

function issuesOf(error: z.ZodError, where: string) {
  return error.issues.map((issue) => ({ path: [where, ...issue.path.map(String)].join('.'), message: issue.message }));
}

/** The caller, checked against the route: another restaurant's id is 404, a role not allowed 403. */
function authorizeCaller(route: RestRoute, event: APIGatewayProxyEvent): Principal | undefined {
  if (route.allow.includes('PUBLIC')) return undefined;
  const principal = fromAuthorizerContext(event.requestContext.authorizer);
  if (!principal) throw new UnauthenticatedError();
  const restaurantId = event.pathParameters?.restaurantId;
  if (restaurantId !== undefined && restaurantId !== principal.restaurantId) throw new NotFoundError();
  const caller: Caller = principal.kind === 'guest' ? 'GUEST' : principal.role;
  if (!route.allow.includes(caller)) throw new ForbiddenError();
  return principal;
}

function parseInput<S extends Schemas>(schemas: S, event: ParsedEvent) {
  // A malformed id in the path names nothing that exists: 404, like any other unknown id.
  const params = schemas.params?.safeParse(event.pathParameters ?? {});
  if (params && !params.success) throw new NotFoundError();
  const issues = [];
  const query = schemas.query?.safeParse(event.queryStringParameters ?? {});
  if (query && !query.success) issues.push(...issuesOf(query.error, 'query'));
  const body = schemas.body?.safeParse(event.jsonBody ?? {});
  if (body && !body.success) issues.push(...issuesOf(body.error, 'body'));
  if (issues.length > 0) throw new ValidationError(issues);
  return { params: params?.data, query: query?.data, body: body?.data };
}

/**
 * Builds a REST handler: Powertools logger context (request id as correlation id), the error
 * mapper, JSON body parsing, the route's caller check, zod validation, then the domain call.
 * A route with an `audit` action gets its audit entry here, whatever the outcome, so no domain
 * function can forget one; the domain only adds ids the request did not carry.
 */
export function restHandler<R extends RestRoute, S extends Schemas>(
  route: R,
  schemas: S,
  handle: (request: RestRequest<S, PrincipalFor<R['allow']>>) => Promise<RestResult>,
) {
  return middy<ParsedEvent, APIGatewayProxyResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(correlateRequest())
    .use(errorResponses())
    .use(jsonBody())
    .handler(async (event, context) => {
      const { requestId, identity } = event.requestContext;
      // The path's restaurant id is the caller's claim, not a fact: the audited restaurant comes from the principal or the domain.
      const { restaurantId: _claimed, ...pathIds } = event.pathParameters ?? {};
      const subject: AuditSubject = { ...pathIds };
      let response: APIGatewayProxyResult;
      let code: string | null = null;
      try {
        const result = await withAuditSubject(subject, async () => {
          const principal = authorizeCaller(route, event) as PrincipalFor<R['allow']>;
          const input = parseInput(schemas, event);
          return handle({
            ...(input as Pick<RestRequest<S, never>, 'body' | 'query' | 'params'>),
            principal,
            requestId,
            sourceIp: identity.sourceIp,
            headers: Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
            context,
          });
        });
        Object.assign(subject, idsOf(result.body));
        response = respond(requestId, result);
      } catch (error) {
        ({ response, code } = errorResponse(error, requestId));
      }
      if (route.audit) {
        await recordAudit({
          action: route.audit,
          principal: fromAuthorizerContext(event.requestContext.authorizer),
          subject,
          status: response.statusCode,
          code,
          sourceIp: identity.sourceIp,
          requestId,
          now: new Date(),
        });
      }
      return response;
    });
}
