import * as z from 'zod';
import { Id } from '../core';
import { components } from '../contract/responses';
import { restRoutes } from './routes';
import type { ErrorStatus, ResponseSpec, RestFunctionName, RestRoute, RestRouteName, SuccessStatus } from './routes';

/**
 * The OpenAPI 3.1 document of the REST API, generated from the route manifest's contracts: request
 * schemas as the server accepts them (`input`), success bodies as it sends them (`output`), every
 * status each route can answer with its error codes. It imports only the manifest and the contract,
 * so the function that serves it carries no domain code.
 */

const SCHEMAS = '#/components/schemas/';

type JsonSchema = Record<string, unknown>;

/** A zod schema as JSON Schema; the contract's named shapes become references into `components`. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const id = components.get(schema)?.id;
  if (id) return { $ref: `${SCHEMAS}${id}` };
  const { $schema: _dialect, $defs: _named, ...json } = z.toJSONSchema(schema, { io, metadata: components, unrepresentable: 'any', target: 'draft-2020-12' });
  return JSON.parse(JSON.stringify(json).replaceAll('"#/$defs/', `"${SCHEMAS}`)) as JsonSchema;
}

function componentSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(components, { io: 'output', uri: (id) => `${SCHEMAS}${id}`, target: 'draft-2020-12' });
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...json }]) => [id, json as JsonSchema]));
}

const REASONS: Record<SuccessStatus | ErrorStatus, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted: pending',
  204: 'No content',
  400: 'Bad request',
  401: 'Not authenticated',
  403: 'Role or tenant does not allow it',
  404: 'Not found (also another tenant’s or session’s resource)',
  409: 'Conflict',
  413: 'Request too large (bodies over 64 KB)',
  422: 'Idempotency key reused for a different request',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'The database is throttling or failing: nothing was changed that a retry cannot finish; retry after Retry-After',
};

/** Operations are tagged with the function that serves them: one tag per domain. */
const TAGS: Record<RestFunctionName, string> = {
  staff: 'Staff login, staff accounts, the restaurant and its audit log.',
  tables: 'Tables, their table codes and QR codes.',
  menu: 'The menu: read publicly, edited by staff.',
  sessions: 'Table sessions, run by the floor staff.',
  join: 'Guests joining a session with its PIN.',
  guest: "A guest's session, cart and orders.",
  orders: 'Placing an order, idempotently.',
  kitchen: 'Kitchen tickets and line status.',
  openapi: 'This document.',
};

const isPublic = (route: RestRoute) => route.allow.includes('PUBLIC');

/**
 * The error codes a route can answer: what every route can (the gateway's throttle and size limit, an
 * internal error), what routes of its kind can (input validation, tokens, path ids), and its own.
 */
export function errorCodesOf(route: RestRoute): Partial<Record<ErrorStatus, string[]>> {
  const codes: Partial<Record<ErrorStatus, Set<string>>> = {};
  const add = (status: ErrorStatus, ...list: readonly string[]) => list.forEach((code) => (codes[status] ??= new Set()).add(code));
  const { query, body, headers = {} } = route.request ?? {};
  add(413, 'PAYLOAD_TOO_LARGE');
  add(429, 'RATE_LIMITED');
  add(500, 'INTERNAL');
  add(503, 'UNAVAILABLE');
  if (body || query) add(400, 'VALIDATION_FAILED');
  if (body) add(400, 'BAD_JSON');
  for (const header of Object.values(headers)) add(header.status ?? 400, header.code);
  // The authorizer answers before any route's roles are checked: a guest token of a closed session is SESSION_CLOSED anywhere.
  if (!isPublic(route)) add(401, 'UNAUTHENTICATED', 'SESSION_CLOSED');
  if (!isPublic(route)) add(403, 'FORBIDDEN');
  if (route.path.includes('{')) add(404, 'NOT_FOUND');
  for (const [status, list] of Object.entries(route.errors ?? {})) add(Number(status) as ErrorStatus, ...list);
  return Object.fromEntries(Object.entries(codes).map(([status, set]) => [status, [...set].sort()]));
}

const RETRY_AFTER = { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 0 } };

function errorResponse(status: ErrorStatus, codes: string[]) {
  return {
    description: `${REASONS[status]}: ${codes.join(', ')}`,
    ...(status === 429 || status === 503 ? { headers: { 'Retry-After': { ...RETRY_AFTER, required: true } } } : {}),
    content: {
      'application/json': {
        schema: {
          allOf: [
            { $ref: `${SCHEMAS}ErrorBody` },
            { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string', enum: codes } } } } },
          ],
        },
      },
    },
  };
}

function successResponse(route: RestRoute, status: SuccessStatus, spec: ResponseSpec) {
  const headers = Object.fromEntries(Object.entries(route.responseHeaders ?? {}).map(([name, description]) => [name, { description, schema: { type: 'string' } }]));
  return {
    description: REASONS[status],
    ...(route.responseHeaders ? { headers } : {}),
    ...(spec === null
      ? {}
      : 'contentType' in spec
        ? { content: { [spec.contentType]: { schema: jsonSchema(spec.schema, 'output') } } }
        : { content: { 'application/json': { schema: jsonSchema(spec, 'output') } } }),
  };
}

/** The bearer token a route takes: a staff or guest token, a declared scheme of its own (the poll token), or none. */
function securityOf(route: RestRoute) {
  const scheme = Object.values(route.request?.headers ?? {}).find((spec) => spec.securityScheme)?.securityScheme;
  if (scheme) return [{ [scheme]: [] }];
  return isPublic(route) ? [] : [{ bearer: [] }];
}

function operation(name: RestRouteName) {
  const route: RestRoute = restRoutes[name];
  const { params = {}, query, headers = {}, body } = route.request ?? {};
  const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, param = '']) => ({
    name: param,
    in: 'path',
    required: true,
    schema: jsonSchema(params[param] ?? Id, 'input'),
  }));
  const queryShape = query ? (jsonSchema(query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] }) : undefined;
  const queryParameters = Object.entries(queryShape?.properties ?? {}).map(([param, schema]) => ({
    name: param,
    in: 'query',
    required: queryShape?.required?.includes(param) ?? false,
    schema,
  }));
  const headerParameters = Object.entries(headers).filter(([, spec]) => !spec.securityScheme).map(([header, spec]) => ({
    name: header,
    in: 'header',
    required: true,
    description: spec.description,
    schema: jsonSchema(spec.schema, 'input'),
  }));
  const successes = Object.entries(route.responses).map(([status, spec]) => [status, successResponse(route, Number(status) as SuccessStatus, spec)]);
  const errors = Object.entries(errorCodesOf(route)).map(([status, codes]) => [status, errorResponse(Number(status) as ErrorStatus, codes)]);
  return {
    operationId: name,
    summary: route.summary,
    tags: [route.fn],
    'x-allowed-callers': route.allow,
    security: securityOf(route),
    parameters: [...pathParameters, ...queryParameters, ...headerParameters],
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(body, 'input') } } } } : {}),
    responses: Object.fromEntries([...successes, ...errors]),
  };
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  [field: string]: unknown;
}

let document: OpenApiDocument | undefined;

/** The document, built once per container. */
export function openApiDocument(): OpenApiDocument {
  if (document) return document;
  const paths: Record<string, Record<string, object>> = {};
  for (const name of Object.keys(restRoutes) as RestRouteName[]) {
    const route = restRoutes[name];
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(name);
  }
  const built: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: 'QR table ordering API',
      version: '1.0.0',
      description: 'Staff, guests and kitchen screens of QR-code table ordering.',
    },
    servers: [
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com/{stage}',
        description: "A deployed stage's REST API (the stack output `RestApiUrl`).",
        variables: { apiId: { default: 'abc123' }, region: { default: 'eu-central-1' }, stage: { default: 'dev' } },
      },
      { url: 'http://localhost:3000', description: 'The local runtime (`npm start`).' },
    ],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A staff token (login) or a guest token (join).' },
        pollToken: { type: 'http', scheme: 'bearer', description: 'The poll token of a join request (the 202 answer to a join).' },
      },
      schemas: componentSchemas(),
    },
    paths,
  };
  document = built;
  return built;
}
