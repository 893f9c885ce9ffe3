import middy from '@middy/core';
import type { MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
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
import { publishMetrics } from '../observability/metrics';
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

/** The event as the middlewares leave it for the next: parsed body, checked caller, validated input, audit subject. */
type RestEvent = APIGatewayProxyEvent & {
  jsonBody?: unknown;
  principal?: Principal;
  input?: { params: unknown; query: unknown; body: unknown };
  auditSubject?: AuditSubject;
};

/** What the handler and the error mapping hand the response middleware; `code` names an error outcome. */
type Outcome = RestResult & { code?: string };

type RestMiddleware = MiddlewareObj<RestEvent, Outcome, Error, Context>;

/** Enforces the 64 KB limit and parses the JSON body once (400 BAD_JSON, 413 PAYLOAD_TOO_LARGE). */
const jsonBody = (): RestMiddleware => ({
  before: ({ event }) => {
    if (event.body === null || event.body === undefined || event.body === '') return;
    const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
    try {
      event.jsonBody = JSON.parse(raw);
    } catch (error) {
      throw new BadJsonError(error);
    }
  },
});

/** The caller, checked against the route: another restaurant's id is 404, a role not allowed 403. */
const callerCheck = (route: RestRoute): RestMiddleware => ({
  before: ({ event }) => {
    if (route.allow.includes('PUBLIC')) return;
    const principal = fromAuthorizerContext(event.requestContext.authorizer);
    if (!principal) throw new UnauthenticatedError();
    const restaurantId = event.pathParameters?.restaurantId;
    if (restaurantId !== undefined && restaurantId !== principal.restaurantId) throw new NotFoundError();
    const caller: Caller = principal.kind === 'guest' ? 'GUEST' : principal.role;
    if (!route.allow.includes(caller)) throw new ForbiddenError();
    event.principal = principal;
  },
});

function issuesOf(error: z.ZodError, where: string) {
  return error.issues.map((issue) => ({ path: [where, ...issue.path.map(String)].join('.'), message: issue.message }));
}

/** zod validation of path, query and body: a malformed path id is 404 like any unknown id, the rest 400 listing every issue. */
const validation = (schemas: Schemas): RestMiddleware => ({
  before: ({ event }) => {
    const params = schemas.params?.safeParse(event.pathParameters ?? {});
    if (params && !params.success) throw new NotFoundError();
    const issues = [];
    const query = schemas.query?.safeParse(event.queryStringParameters ?? {});
    if (query && !query.success) issues.push(...issuesOf(query.error, 'query'));
    const body = schemas.body?.safeParse(event.jsonBody ?? {});
    if (body && !body.success) issues.push(...issuesOf(body.error, 'body'));
    if (issues.length > 0) throw new ValidationError(issues);
    event.input = { params: params?.data, query: query?.data, body: body?.data };
  },
});

/**
 * The one error mapper, for errors raised anywhere in the chain: an AppError by its fields (its
 * message only when it may be shown), anything else 500 INTERNAL, logged and never shown.
 */
const errorMapping = (): RestMiddleware => ({
  onError: (request) => {
    const { error } = request;
    const requestId = request.event.requestContext.requestId;
    if (error instanceof AppError) {
      if (error.status >= 500) logger.error('request failed', { error });
      const message = error.expose ? error.message : GENERIC_MESSAGE;
      request.response = { status: error.status, code: error.code, headers: error.headers, body: errorBody(error.code, message, requestId, error.details) };
      return;
    }
    logger.error('unexpected error', { error: error as Error });
    request.response = { status: 500, code: 'INTERNAL', body: errorBody('INTERNAL', GENERIC_MESSAGE, requestId) };
  },
});

const GENERIC_MESSAGE = 'Something went wrong. Quote the request id if you report it.';

/**
 * The audit entry of a route with an `audit` action, for every outcome: the handler's, the domain's
 * errors and those raised before the handler ran (bad JSON, too large, a refused caller). The path's
 * ids open the subject, the domain notes the ones the request did not carry, and the response's ids close it.
 */
const audit = (action: string): RestMiddleware => {
  const record = async (request: { event: RestEvent; response: Outcome | null | undefined }) => {
    const { event, response } = request;
    const subject = event.auditSubject ?? {};
    if (response && response.code === undefined) Object.assign(subject, idsOf(response.body));
    await recordAudit({
      action,
      principal: fromAuthorizerContext(event.requestContext.authorizer),
      subject,
      status: response?.status ?? 500,
      code: response?.code ?? (response ? null : 'INTERNAL'),
      sourceIp: event.requestContext.identity.sourceIp,
      requestId: event.requestContext.requestId,
      now: new Date(),
    });
  };
  return {
    before: ({ event }) => {
      // The path's restaurant id is the caller's claim, not a fact: the audited restaurant comes from the principal or the domain.
      const { restaurantId: _claimed, ...pathIds } = event.pathParameters ?? {};
      event.auditSubject = { ...pathIds };
    },
    after: record,
    onError: record,
  };
};

/** Turns the outcome into API Gateway's proxy result: JSON (or a raw body), the request id, CORS. */
const httpResponse = (): MiddlewareObj<RestEvent, APIGatewayProxyResult, Error, Context> => {
  const respond = (request: { event: RestEvent; response: unknown }) => {
    const result = request.response as Outcome | undefined;
    if (!result) return;
    const raw = result.contentType !== undefined;
    request.response = {
      statusCode: result.status,
      headers: {
        ...(result.body === undefined ? {} : { 'Content-Type': result.contentType ?? 'application/json' }),
        ...(env().CORS_ORIGIN ? { 'Access-Control-Allow-Origin': env().CORS_ORIGIN, Vary: 'Origin' } : {}),
        'X-Request-Id': request.event.requestContext.requestId,
        ...result.headers,
      },
      body: result.body === undefined ? '' : raw ? String(result.body) : JSON.stringify(result.body),
    } satisfies APIGatewayProxyResult;
  };
  return { after: respond, onError: respond };
};

/**
 * Builds a REST handler as a middy chain, one concern per middleware: Powertools logger context
 * (API Gateway's request id as correlation id) and metrics, the response, the audit entry of every
 * outcome, the error mapping, JSON body parsing, the route's caller check and zod validation; then
 * the domain call with plain typed input.
 */
export function restHandler<R extends RestRoute, S extends Schemas>(
  route: R,
  schemas: S,
  handle: (request: RestRequest<S, PrincipalFor<R['allow']>>) => Promise<RestResult>,
) {
  const chain = middy<RestEvent, Outcome, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true, correlationIdPath: 'requestContext.requestId' }))
    .use(publishMetrics() as RestMiddleware)
    .use(httpResponse() as unknown as RestMiddleware);
  if (route.audit) chain.use(audit(route.audit));
  return chain
    .use(errorMapping())
    .use(jsonBody())
    .use(callerCheck(route))
    .use(validation(schemas))
    .handler((event, context) =>
      withAuditSubject(event.auditSubject ?? {}, () =>
        handle({
          ...(event.input as Pick<RestRequest<S, never>, 'body' | 'query' | 'params'>),
          principal: event.principal as PrincipalFor<R['allow']>,
          requestId: event.requestContext.requestId,
          sourceIp: event.requestContext.identity.sourceIp,
          headers: Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
          context,
        }),
      ),
    ) as unknown as (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
}
