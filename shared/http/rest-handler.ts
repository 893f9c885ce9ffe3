import middy from '@middy/core';
import type { MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import * as z from 'zod';
import { fromAuthorizerContext } from '../auth/principal';
import { timesSent } from '../auth/tokens';
import type { GuestPrincipal, Principal, StaffPrincipal } from '../auth/principal';
import {
  AppError,
  BadJsonError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
  errorBody,
} from '../errors';
import { idsOf, recordAudit, withAuditSubject } from '../audit/audit';
import { asUnavailable } from '../db/unavailable';
import { env } from '../config/env';
import type { AuditSubject } from '../audit/audit';
import { logger } from '../observability/logger';
import { publishMetrics } from '../observability/metrics';
import { Id } from '../core';
import type { Caller, RestRoute, RouteRequest, SuccessStatus } from './routes';
import { corsHeaders } from './cors';

/** Bodies above this size are refused with 413 before they are parsed. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The names of a path's `{name}` parameters. */
type PathParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParamNames<Rest> : never;
type RequestOf<R extends RestRoute> = R['request'] extends RouteRequest ? R['request'] : Record<never, never>;
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** The principal type a route's `allow` list guarantees to its handler. */
type PrincipalFor<A extends readonly Caller[]> = 'PUBLIC' extends A[number]
  ? undefined
  : Exclude<A[number], 'GUEST'> extends never
    ? GuestPrincipal
    : 'GUEST' extends A[number]
      ? Principal
      : StaffPrincipal;

/** What a route's handler receives: its declared input, validated and typed, and who is calling. */
export interface RestRequest<R extends RestRoute> {
  params: Record<PathParamNames<R['path']>, string>;
  query: Parsed<RequestOf<R> extends { query: infer Q } ? Q : undefined>;
  body: Parsed<RequestOf<R> extends { body: infer B } ? B : undefined>;
  /** The route's declared request headers, validated. */
  headers: RequestOf<R> extends { headers: infer H } ? { [K in keyof H]: string } : Record<never, never>;
  principal: PrincipalFor<R['allow']>;
  requestId: string;
  sourceIp: string;
  /** The Lambda context (Powertools idempotency needs the remaining time). */
  context: Context;
}

type BodyOf<S> = S extends null
  ? { body?: undefined }
  : S extends { contentType: string; schema: infer T extends z.ZodType }
    ? { body: z.input<T> }
    : S extends z.ZodType
      ? { body: z.input<S> }
      : never;

/** What a route's handler returns: one of its declared success statuses with that status's body. */
export type RestResult<R extends RestRoute> = {
  [S in keyof R['responses'] & SuccessStatus]: { status: S; headers?: Record<string, string> } & BodyOf<R['responses'][S]>;
}[keyof R['responses'] & SuccessStatus];

/** What the handler and the error mapping hand the response middleware; `code` names an error outcome. */
interface Outcome {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  code?: string;
}

/** The event as the middlewares leave it for the next: parsed body, checked caller, validated input, audit subject. */
type RestEvent = APIGatewayProxyEvent & {
  jsonBody?: unknown;
  principal?: Principal;
  input?: { params: unknown; query: unknown; headers: unknown; body: unknown };
  auditSubject?: AuditSubject;
};

type RestMiddleware = MiddlewareObj<RestEvent, Outcome, Error, Context>;

/** Enforces the 64 KB limit and parses the JSON body once (400 BAD_JSON, 413 PAYLOAD_TOO_LARGE). */
const jsonBody = (): RestMiddleware => ({
  before: ({ event }) => {
    if (event.body === null || event.body === undefined || event.body === '') return;
    const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
    // API Gateway hands a body that is not valid UTF-8 on with each bad byte replaced by U+FFFD;
    // storing that would keep a name no one typed, so the body is refused instead.
    if (raw.includes('\uFFFD')) throw new BadJsonError('The request body is not valid UTF-8.');
    try {
      event.jsonBody = JSON.parse(raw);
    } catch (error) {
      throw new BadJsonError('The request body is not valid JSON.', error);
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

/** A path parameter's schema: an `Id` unless the route declares another. */
const paramsSchema = (route: RestRoute) =>
  z.object(Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map(([, name = '']) => [name, route.request?.params?.[name] ?? Id])));

/**
 * Validation of the route's declared input: a missing, repeated or malformed required header first
 * (with the header's code), then a malformed path id (404 like any unknown id), then query and body
 * (400 listing every issue).
 */
const validation = (route: RestRoute): RestMiddleware => {
  const { query: querySchema, body: bodySchema, headers: headerSpecs = {} } = route.request ?? {};
  const params = paramsSchema(route);
  return {
    before: ({ event }) => {
      const sent = Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
      const headers: Record<string, string> = {};
      for (const [name, spec] of Object.entries(headerSpecs)) {
        if (timesSent(event.multiValueHeaders, name) > 1) throw new AppError(spec.status ?? 400, spec.code, `Send the ${name} header once.`);
        const header = spec.schema.safeParse(sent[name.toLowerCase()]);
        if (!header.success) throw new AppError(spec.status ?? 400, spec.code, `Send a valid ${name} header: ${spec.description}`);
        headers[name] = header.data;
      }
      // After the headers, as API Gateway's authorizer answers before anything looks at the path.
      const path = params.safeParse(event.pathParameters ?? {});
      if (!path.success) throw new NotFoundError();
      const issues = [];
      const query = querySchema?.safeParse(event.queryStringParameters ?? {});
      if (query && !query.success) issues.push(...issuesOf(query.error, 'query'));
      const body = bodySchema?.safeParse(event.jsonBody ?? {});
      if (body && !body.success) issues.push(...issuesOf(body.error, 'body'));
      if (issues.length > 0) throw new ValidationError(issues);
      event.input = { params: path.data, query: query?.data, headers, body: body?.data };
    },
  };
};

/**
 * The one error mapper, for errors raised anywhere in the chain: an AppError by its fields (its
 * message only when it may be shown), anything else 500 INTERNAL, logged and never shown.
 */
const errorMapping = (): RestMiddleware => ({
  onError: (request) => {
    // DynamoDB unavailable after the SDK's retries is the client's to retry (503), not our bug (500).
    const error = asUnavailable(request.error);
    const requestId = request.event.requestContext.requestId;
    if (error instanceof AppError) {
      if (error instanceof UnavailableError) logger.warn('database unavailable after retries', { error });
      else if (error.status >= 500) logger.error('request failed', { error });
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

/** The content type of a success body that is not JSON, as the route declares it. */
const rawContentType = (route: RestRoute, status: number): string | undefined => {
  const spec = route.responses[status as SuccessStatus];
  return spec && 'contentType' in spec ? spec.contentType : undefined;
};

/** Turns the outcome into API Gateway's proxy result: JSON (or the route's declared raw body), the request id, CORS. */
const httpResponse = (route: RestRoute): MiddlewareObj<RestEvent, APIGatewayProxyResult, Error, Context> => {
  const respond = (request: { event: RestEvent; response: unknown }) => {
    const origin = env().CORS_ORIGIN;
    const result = request.response as Outcome | undefined;
    if (!result) return;
    const contentType = result.code === undefined ? rawContentType(route, result.status) : undefined;
    request.response = {
      statusCode: result.status,
      headers: {
        ...(result.body === undefined ? {} : { 'Content-Type': contentType ?? 'application/json' }),
        ...(origin ? corsHeaders(origin) : {}),
        'X-Request-Id': request.event.requestContext.requestId,
        ...result.headers,
      },
      body: result.body === undefined ? '' : contentType ? String(result.body) : JSON.stringify(result.body),
    } satisfies APIGatewayProxyResult;
  };
  return { after: respond, onError: respond };
};

/**
 * Builds a route's REST handler as a middy chain, one concern per middleware: Powertools logger
 * context (API Gateway's request id as correlation id) and metrics, the response, the audit entry of
 * every outcome, the error mapping, JSON body parsing (where the route takes a body), the caller
 * check and validation of the route's declared input; then the domain call with typed input, whose
 * result must be one of the route's declared responses.
 */
export function restHandler<R extends RestRoute>(route: R, handle: (request: RestRequest<R>) => Promise<RestResult<R>>) {
  const chain = middy<RestEvent, Outcome, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true, correlationIdPath: 'requestContext.requestId' }))
    .use(publishMetrics() as RestMiddleware)
    .use(httpResponse(route) as unknown as RestMiddleware);
  if (route.audit) chain.use(audit(route.audit));
  chain.use(errorMapping());
  if (route.request?.body) chain.use(jsonBody());
  return chain
    .use(callerCheck(route))
    .use(validation(route))
    .handler((event, context) =>
      withAuditSubject(event.auditSubject ?? {}, () =>
        handle({
          ...(event.input as Pick<RestRequest<R>, 'params' | 'query' | 'headers' | 'body'>),
          principal: event.principal as PrincipalFor<R['allow']>,
          requestId: event.requestContext.requestId,
          sourceIp: event.requestContext.identity.sourceIp,
          context,
        }),
      ),
    ) as unknown as (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
}
