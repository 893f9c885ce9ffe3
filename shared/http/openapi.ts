import * as z from 'zod';
import { AuditQuery } from '../audit/audit';
import { LoginBody } from '../staff/login';
import { AddLineBody, UpdateLineBody } from '../cart/cart';
import { LineStatusBody, TicketsQuery } from '../kitchen/kitchen';
import { CreateMenuItemBody, UpdateMenuItemBody } from '../menu/menu';
import { PlaceOrderBody } from '../orders/place-order';
import { JoinBody } from '../sessions/join';
import { ListSessionsQuery, MoveSessionBody, OpenSessionBody } from '../sessions/sessions';
import { CreateStaffBody } from '../staff/staff';
import { CreateTableBody } from '../tables/tables';
import { restRoutes } from './routes';
import type { RestRouteName } from './routes';

type ErrorCodes = Partial<Record<400 | 401 | 403 | 404 | 409 | 413 | 422 | 429, string[]>>;

interface RouteDoc {
  status: 200 | 201 | 204;
  body?: z.ZodType;
  query?: z.ZodType;
  /** Error codes this route adds to the ones every route of its kind can answer. */
  errors?: ErrorCodes;
  contentType?: string;
  headers?: { name: string; description: string; required: boolean }[];
}

/** The request schemas the handlers validate with, and what each route answers. */
const docs: Record<RestRouteName, RouteDoc> = {
  staffLogin: { status: 200, body: LoginBody, errors: { 401: ['INVALID_CREDENTIALS'], 429: ['LOGIN_BLOCKED'] } },
  logout: { status: 204 },
  getRestaurant: { status: 200 },
  createStaff: { status: 201, body: CreateStaffBody, errors: { 409: ['USERNAME_TAKEN'] } },
  listStaff: { status: 200 },
  deleteStaff: { status: 204 },
  createTable: { status: 201, body: CreateTableBody },
  listTables: { status: 200 },
  getTableQr: { status: 200, contentType: 'image/svg+xml' },
  rotateTableCode: { status: 200, errors: { 409: ['TABLE_CODE_CHANGED'] } },
  resolveTableCode: { status: 200 },
  createMenuItem: { status: 201, body: CreateMenuItemBody },
  updateMenuItem: { status: 200, body: UpdateMenuItemBody },
  archiveMenuItem: { status: 204 },
  getMenu: { status: 200 },
  openSession: { status: 201, body: OpenSessionBody, errors: { 409: ['SESSION_ALREADY_OPEN'] } },
  listSessions: { status: 200, query: ListSessionsQuery },
  getSession: { status: 200 },
  renewPin: { status: 200, errors: { 409: ['NO_OPEN_SESSION'] } },
  moveSession: { status: 200, body: MoveSessionBody, errors: { 409: ['TABLE_BUSY', 'NO_OPEN_SESSION', 'SESSION_CHANGED'] } },
  closeSession: { status: 200, errors: { 409: ['SESSION_CHANGED'] } },
  joinSession: {
    status: 201,
    body: JoinBody,
    errors: { 401: ['INVALID_PIN'], 404: ['NOT_FOUND'], 409: ['NO_OPEN_SESSION'], 429: ['PIN_BLOCKED', 'RATE_LIMITED'] },
  },
  getGuestSession: { status: 200 },
  getCart: { status: 200 },
  addCartLine: { status: 201, body: AddLineBody, errors: { 404: ['NOT_FOUND'], 409: ['ITEM_UNAVAILABLE', 'CART_FULL'] } },
  updateCartLine: { status: 200, body: UpdateLineBody },
  removeCartLine: { status: 200 },
  placeOrder: {
    status: 201,
    body: PlaceOrderBody,
    headers: [{ name: 'Idempotency-Key', description: '1–255 of A-Z a-z 0-9 _ - . : (scoped to the session)', required: true }],
    errors: {
      400: ['IDEMPOTENCY_KEY_REQUIRED'],
      409: ['CART_CHANGED', 'CART_EMPTY', 'ITEM_UNAVAILABLE', 'IDEMPOTENCY_IN_PROGRESS', 'CART_FULL', 'MENU_CHANGED'],
      422: ['IDEMPOTENCY_KEY_REUSED'],
    },
  },
  listOrders: { status: 200 },
  getOrder: { status: 200 },
  listTickets: { status: 200, query: TicketsQuery },
  changeLineStatus: { status: 200, body: LineStatusBody, errors: { 409: ['INVALID_TRANSITION', 'ORDER_BUSY'] } },
  listAudit: { status: 200, query: AuditQuery },
  getOpenApi: { status: 200 },
};

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });

const ErrorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'requestId', 'details'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, requestId: { type: 'string' }, details: { type: 'object' } },
    },
  },
};

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No content',
  400: 'Bad request',
  401: 'Not authenticated',
  403: 'Role or tenant does not allow it',
  404: 'Not found (also another tenant’s or session’s resource)',
  409: 'Conflict',
  413: 'Body over 64 KB',
  422: 'Idempotency key reused for a different request',
  429: 'Too many attempts (Retry-After)',
  500: 'Internal error',
};

/** The error codes a route can answer: what every route of its kind can, plus its own. */
export function errorCodesOf(name: RestRouteName): Record<number, string[]> {
  const route = restRoutes[name];
  const doc = docs[name];
  const isPublic = (route.allow as readonly string[]).includes('PUBLIC');
  const codes: Record<number, Set<string>> = {};
  const add = (status: number, ...list: string[]) => list.forEach((code) => (codes[status] ??= new Set()).add(code));
  add(500, 'INTERNAL');
  if (doc.body || doc.query) add(400, 'VALIDATION_FAILED');
  if (doc.body) {
    add(400, 'BAD_JSON');
    add(413, 'PAYLOAD_TOO_LARGE');
  }
  if (!isPublic) add(401, 'UNAUTHENTICATED');
  if (!isPublic) add(403, 'FORBIDDEN');
  if ((route.allow as readonly string[]).includes('GUEST')) add(401, 'SESSION_CLOSED');
  if (route.path.includes('{')) add(404, 'NOT_FOUND');
  for (const [status, list] of Object.entries(doc.errors ?? {})) add(Number(status), ...list);
  return Object.fromEntries(Object.entries(codes).map(([status, set]) => [status, [...set]]));
}

function operation(name: RestRouteName) {
  const route = restRoutes[name];
  const doc = docs[name];
  const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
    name: match[1] as string,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const queryShape = doc.query ? (jsonSchema(doc.query) as { properties?: Record<string, object>; required?: string[] }) : undefined;
  const queryParameters = Object.entries(queryShape?.properties ?? {}).map(([paramName, schema]) => ({
    name: paramName,
    in: 'query',
    required: queryShape?.required?.includes(paramName) ?? false,
    schema,
  }));
  const headerParameters = (doc.headers ?? []).map((header) => ({ ...header, in: 'header', schema: { type: 'string' } }));
  const isPublic = (route.allow as readonly string[]).includes('PUBLIC');
  const success =
    doc.status === 204
      ? { description: REASONS[204] }
      : { description: REASONS[doc.status], content: { [doc.contentType ?? 'application/json']: { schema: doc.contentType ? { type: 'string' } : { type: 'object' } } } };
  const errors = Object.fromEntries(
    Object.entries(errorCodesOf(name)).map(([status, codes]) => [
      status,
      {
        description: `${REASONS[Number(status)]}: ${codes.join(', ')}`,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
      },
    ]),
  );
  return {
    operationId: name,
    summary: route.summary,
    'x-allowed-callers': route.allow,
    security: isPublic ? [] : [{ bearer: [] }],
    parameters: [...pathParameters, ...queryParameters, ...headerParameters],
    ...(doc.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(doc.body) } } } } : {}),
    responses: { [doc.status]: success, ...errors },
  };
}

let document: object | undefined;

/** The OpenAPI 3.1 document of the REST API, generated from the route manifest and the zod schemas. */
export function openApiDocument(): object {
  if (document) return document;
  const paths: Record<string, Record<string, object>> = {};
  for (const name of Object.keys(restRoutes) as RestRouteName[]) {
    const route = restRoutes[name];
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(name);
  }
  document = {
    openapi: '3.1.0',
    info: { title: 'QR table ordering API', version: '1.0.0', description: 'Staff, guests and kitchen screens of QR-code table ordering.' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A staff token (login) or a guest token (join).' } },
      schemas: { ErrorBody },
    },
    paths,
  };
  return document;
}
