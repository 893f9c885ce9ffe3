/**
 * The route manifest: every Lambda function, every REST and WebSocket route, which function serves
 * it and who may call it. The CDK stacks and the local gateways are both built from it, each
 * function's entry dispatches exactly its routes (type-checked against this list), and the REST
 * handler wrapper enforces `allow`, so none of them can drift apart. Each route also declares its
 * contract once (path parameters, query, headers, body, responses, error codes) from the schemas in
 * shared/contract: the handler wrapper validates and types with it, the OpenAPI document is generated
 * from it and the tests check responses against that document. Pure data: core and contract only.
 */
import * as z from 'zod';
import { ROLES } from '../core';
import type { Role } from '../core';
import { IdempotencyKey, TableCode } from '../contract/fields';
import {
  AddLineBody,
  AuditQuery,
  CreateMenuItemBody,
  MenuFile,
  CreateStaffBody,
  CreateTableBody,
  JoinBody,
  LineStatusBody,
  ListSessionsQuery,
  LoginBody,
  MoveSessionBody,
  OpenSessionBody,
  PlaceOrderBody,
  TicketsQuery,
  AllDayQuery,
  BumpBody,
  FireBody,
  ServiceRequestBody,
  ServiceRequestsQuery,
  UpdateLineBody,
  UpdateMenuItemBody,
  UpdateRestaurantBody,
  MenuQuery,
} from '../contract/requests';
import {
  AuditPage,
  Cart,
  ClosedSession,
  CreatedTable,
  GuestSession,
  JoinRequestState,
  JoinResult,
  PendingJoin,
  KitchenLine,
  Ticket,
  LoginResult,
  MenuItem,
  MenuImported,
  MenuItemList,
  NewPin,
  IssuedRejoinCode,
  NewTableCode,
  OpenApiDocument,
  OpenedSession,
  Order,
  OrderList,
  PublicMenu,
  ResolvedTableCode,
  RestaurantSettings,
  Session,
  SessionDetail,
  SessionList,
  StaffList,
  StaffMember,
  TableList,
  TicketPage,
  AllDay,
  FiredCourse,
  CreatedServiceRequest,
  ServiceRequest,
  ServiceRequestList,
} from '../contract/responses';

/** `PUBLIC` routes have no authorizer; the others run it and then check the caller's role. */
export type Caller = 'PUBLIC' | 'GUEST' | Role;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One Lambda function: its entry module (which exports `handler`) and its least-privilege grants. */
export interface FunctionSpec {
  /** Relative to the repository root. */
  entry: string;
  table: 'none' | 'read' | 'readWrite';
  /** The function may read the PIN hashing key. */
  pinKey?: boolean;
  /** Lambda's timeout; {@link DEFAULT_TIMEOUT_SECONDS} unless said. */
  timeoutSeconds?: number;
}

/** The timeout of a function that does not say otherwise: an API request answers well within it. */
export const DEFAULT_TIMEOUT_SECONDS = 10;

/**
 * The REST functions, one per domain: a domain's routes share a container (fewer cold starts at a
 * restaurant's traffic, one resource set per domain in the stack) and its grants. The PIN key and
 * the public join, the idempotent placement and the dependency-free OpenAPI document stand alone.
 */
export const restFunctions = {
  staff: { entry: 'functions/http/staff/index.ts', table: 'readWrite' },
  tables: { entry: 'functions/http/tables/index.ts', table: 'readWrite' },
  menu: { entry: 'functions/http/menu/index.ts', table: 'readWrite' },
  sessions: { entry: 'functions/http/sessions/index.ts', table: 'readWrite', pinKey: true },
  join: { entry: 'functions/http/join/index.ts', table: 'readWrite', pinKey: true },
  guest: { entry: 'functions/http/guest/index.ts', table: 'readWrite' },
  orders: { entry: 'functions/http/orders/index.ts', table: 'readWrite' },
  kitchen: { entry: 'functions/http/kitchen/index.ts', table: 'readWrite' },
  openapi: { entry: 'functions/http/openapi/index.ts', table: 'none' },
} as const satisfies Record<string, FunctionSpec>;

export type RestFunctionName = keyof typeof restFunctions;

/** A request header the route requires; missing or malformed, it is answered with `status` (400 unless said) and `code`. */
export interface HeaderSpec {
  schema: z.ZodType<string, string>;
  code: string;
  status?: 400 | 401;
  description: string;
  /** An `Authorization` header: documented as this security scheme, not as a parameter. */
  securityScheme?: 'pollToken';
}

export interface RouteRequest {
  /** Path parameters whose pattern is not an `Id`'s (every other `{name}` in the path is an `Id`). */
  params?: Record<string, z.ZodType<string, string>>;
  query?: z.ZodType;
  headers?: Record<string, HeaderSpec>;
  body?: z.ZodType;
}

/** A success response: a JSON body's schema, a body of another content type, or `null` for no content. */
export type ResponseSpec = z.ZodType | { contentType: string; schema: z.ZodType<string> } | null;

export type SuccessStatus = 200 | 201 | 202 | 204;
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503;

export interface RestRoute {
  method: HttpMethod;
  /** API Gateway resource path, with `{name}` path parameters. */
  path: string;
  /** The function that serves it. */
  fn: RestFunctionName;
  allow: readonly Caller[];
  /**
   * The audit action recorded for every call, whatever its outcome; every state-changing route says
   * whether it is audited (`false` for high-volume guest actions such as cart edits).
   */
  audit?: string | false;
  summary: string;
  request?: RouteRequest;
  responses: Partial<Record<SuccessStatus, ResponseSpec>>;
  /** Headers of the success response (name → description). */
  responseHeaders?: Record<string, string>;
  /** Error codes this route adds to the ones every route of its kind can answer. */
  errors?: Partial<Record<ErrorStatus, readonly string[]>>;
}

const STAFF = ROLES;
const MANAGERS = ['OWNER', 'MANAGER'] as const;
const ANY_TOKEN = ['GUEST', ...ROLES] as const;
const FLOOR = ['OWNER', 'MANAGER', 'WAITER'] as const;
const MENU_EDITORS = ['OWNER', 'MANAGER', 'KITCHEN'] as const;

export const restRoutes = {
  staffLogin: {
    method: 'POST',
    path: '/v1/staff/login',
    fn: 'staff',
    audit: 'staff.login',
    allow: ['PUBLIC'],
    summary: 'Staff login: exchanges username and password for a staff token.',
    request: { body: LoginBody },
    responses: { 200: LoginResult },
    errors: { 401: ['INVALID_CREDENTIALS'], 429: ['LOGIN_BLOCKED'] },
  },
  logout: {
    method: 'POST',
    path: '/v1/logout',
    fn: 'staff',
    audit: 'logout',
    allow: ANY_TOKEN,
    summary: 'Revokes the calling token at once.',
    responses: { 204: null },
  },
  getRestaurant: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}',
    fn: 'staff',
    allow: STAFF,
    summary: "The staff member's restaurant with its settings.",
    responses: { 200: RestaurantSettings },
  },
  updateRestaurant: {
    method: 'PATCH',
    path: '/v1/restaurants/{restaurantId}',
    fn: 'staff',
    audit: 'restaurant.update',
    allow: MANAGERS,
    summary: "Changes the restaurant's settings: name, guests per session, coursing, default prep time, the menu's languages.",
    request: { body: UpdateRestaurantBody },
    responses: { 200: RestaurantSettings },
  },
  createStaff: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/staff',
    fn: 'staff',
    audit: 'staff.create',
    allow: MANAGERS,
    summary: 'Creates a staff account (a MANAGER cannot create an OWNER).',
    request: { body: CreateStaffBody },
    responses: { 201: StaffMember },
    errors: { 409: ['USERNAME_TAKEN'] },
  },
  listStaff: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/staff',
    fn: 'staff',
    allow: MANAGERS,
    summary: "Lists the restaurant's staff accounts, without secrets.",
    responses: { 200: StaffList },
  },
  deleteStaff: {
    method: 'DELETE',
    path: '/v1/restaurants/{restaurantId}/staff/{staffId}',
    fn: 'staff',
    audit: 'staff.delete',
    allow: MANAGERS,
    summary: "Deletes a staff account and revokes all of that person's tokens.",
    responses: { 204: null },
  },
  unlockStaff: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/staff/{staffId}/unlock',
    fn: 'staff',
    audit: 'staff.unlock',
    allow: MANAGERS,
    summary: "Clears that person's login lockout (a MANAGER cannot unlock an OWNER).",
    responses: { 204: null },
  },
  createTable: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/tables',
    fn: 'tables',
    audit: 'table.create',
    allow: MANAGERS,
    summary: 'Creates a table with an unguessable table code and its order URL.',
    request: { body: CreateTableBody },
    responses: { 201: CreatedTable },
  },
  listTables: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/tables',
    fn: 'tables',
    allow: FLOOR,
    summary: "Lists the restaurant's tables with the open session of each, if any.",
    responses: { 200: TableList },
  },
  getTableQr: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/tables/{tableId}/qr.svg',
    fn: 'tables',
    allow: MANAGERS,
    summary: "The table's QR code (SVG) of its order URL.",
    responses: { 200: { contentType: 'image/svg+xml', schema: z.string() } },
  },
  rotateTableCode: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/tables/{tableId}/code',
    fn: 'tables',
    audit: 'table.code_rotate',
    allow: MANAGERS,
    summary: 'Gives the table a new code; the old QR code stops working.',
    responses: { 200: NewTableCode },
    errors: { 409: ['TABLE_CODE_CHANGED'] },
  },
  resolveTableCode: {
    method: 'GET',
    path: '/v1/tables/{tableCode}',
    fn: 'tables',
    allow: ['PUBLIC'],
    summary: 'Public: which restaurant and table a scanned code belongs to (404 for unknown or replaced codes).',
    request: { params: { tableCode: TableCode } },
    responses: { 200: ResolvedTableCode },
  },
  createMenuItem: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/menu/items',
    fn: 'menu',
    audit: 'menu.item_create',
    allow: MANAGERS,
    summary: 'Adds a menu item.',
    request: { body: CreateMenuItemBody },
    responses: { 201: MenuItem },
  },
  updateMenuItem: {
    method: 'PATCH',
    path: '/v1/restaurants/{restaurantId}/menu/items/{itemId}',
    fn: 'menu',
    audit: 'menu.item_update',
    allow: MENU_EDITORS,
    summary: 'Changes a menu item (KITCHEN: `available` only).',
    request: { body: UpdateMenuItemBody },
    responses: { 200: MenuItem },
  },
  archiveMenuItem: {
    method: 'DELETE',
    path: '/v1/restaurants/{restaurantId}/menu/items/{itemId}',
    fn: 'menu',
    audit: 'menu.item_archive',
    allow: MANAGERS,
    summary: 'Archives a menu item: gone from the menu, kept for past orders.',
    responses: { 204: null },
  },
  listMenuItems: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/menu/items',
    fn: 'menu',
    allow: MENU_EDITORS,
    summary: 'The menu as its editors see it: every live item with its category, prep time, kitchen name and translations.',
    responses: { 200: MenuItemList },
  },
  importMenu: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/menu/import',
    fn: 'menu',
    audit: 'menu.import',
    allow: MANAGERS,
    summary:
      'Imports a menu file, as `npm run admin -- import-menu` does: every row is checked first and nothing is written when one is wrong (each named in details.issues, `body.items.<row>.<field>`). Within the 64 KB body limit (about 150 items); larger files through the admin CLI.',
    request: { body: MenuFile },
    responses: { 200: MenuImported },
  },
  getMenu: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/menu',
    fn: 'menu',
    allow: ['PUBLIC'],
    summary: 'Public: the menu grouped by category, without archived items, in `lang` where translated.',
    request: { query: MenuQuery },
    responses: { 200: PublicMenu },
  },
  openSession: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/tables/{tableId}/sessions',
    fn: 'sessions',
    audit: 'session.open',
    allow: FLOOR,
    summary: 'Opens a FAMILY or INDIVIDUAL session on a free table; the response shows its PIN once.',
    request: { body: OpenSessionBody },
    responses: { 201: OpenedSession },
    errors: { 409: ['SESSION_ALREADY_OPEN'] },
  },
  listSessions: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/sessions',
    fn: 'sessions',
    allow: FLOOR,
    summary: 'Lists open sessions (no PINs).',
    request: { query: ListSessionsQuery },
    responses: { 200: SessionList },
  },
  getSession: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/sessions/{sessionId}',
    fn: 'sessions',
    allow: FLOOR,
    summary: 'A session with its guests, orders and bill.',
    responses: { 200: SessionDetail },
  },
  renewPin: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/sessions/{sessionId}/pin',
    fn: 'sessions',
    audit: 'session.pin_renew',
    allow: FLOOR,
    summary: "A new PIN for the session; the PIN lockout resets.",
    responses: { 200: NewPin },
    errors: { 409: ['NO_OPEN_SESSION'] },
  },
  moveSession: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/sessions/{sessionId}/move',
    fn: 'sessions',
    audit: 'session.move',
    allow: FLOOR,
    summary: 'Moves the session to another free table.',
    request: { body: MoveSessionBody },
    responses: { 200: Session },
    errors: { 409: ['TABLE_BUSY', 'NO_OPEN_SESSION', 'SESSION_CHANGED'] },
  },
  closeSession: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/sessions/{sessionId}/close',
    fn: 'sessions',
    audit: 'session.close',
    allow: FLOOR,
    summary: "Closes the session; its guests' tokens stop working.",
    responses: { 200: ClosedSession },
    errors: { 409: ['SESSION_CHANGED'] },
  },
  listServiceRequests: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/service-requests',
    fn: 'sessions',
    allow: FLOOR,
    summary: 'Open service requests (calls for the waiter and for the bill, with its total), oldest first.',
    request: { query: ServiceRequestsQuery },
    responses: { 200: ServiceRequestList },
  },
  acknowledgeServiceRequest: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/service-requests/{requestId}/ack',
    fn: 'sessions',
    audit: 'service.acknowledge',
    allow: FLOOR,
    summary: 'Acknowledges a service request: the table hears it, and may ask again.',
    responses: { 200: ServiceRequest },
  },
  fireCourse: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/sessions/{sessionId}/fire',
    fn: 'sessions',
    audit: 'session.fire',
    allow: FLOOR,
    summary: "Fires a course: every HELD line of it and of earlier courses goes to the kitchen; the session's later orders send it straight there.",
    request: { body: FireBody },
    responses: { 200: FiredCourse },
    errors: { 409: ['SESSION_NOT_OPEN', 'ORDER_BUSY', 'TOO_MANY_ORDERS'] },
  },
  removeGuest: {
    method: 'DELETE',
    path: '/v1/restaurants/{restaurantId}/sessions/{sessionId}/guests/{guestId}',
    fn: 'sessions',
    audit: 'session.guest_remove',
    allow: FLOOR,
    summary: "Removes a guest from the session: their tokens stop working and their sockets close; their orders stay on the bill.",
    responses: { 204: null },
  },
  issueRejoinCode: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/sessions/{sessionId}/guests/{guestId}/rejoin-code',
    fn: 'sessions',
    audit: 'session.rejoin_code',
    allow: FLOOR,
    summary: 'A single-use code, valid 15 minutes, with which that guest resumes on a new phone.',
    responses: { 200: IssuedRejoinCode },
    errors: { 409: ['NO_OPEN_SESSION'] },
  },
  joinSession: {
    method: 'POST',
    path: '/v1/sessions/join',
    fn: 'join',
    audit: 'pin.attempt',
    allow: ['PUBLIC'],
    summary: "Public: joins the scanned table's session with its PIN and returns a guest token.",
    request: { body: JoinBody },
    responses: { 201: JoinResult, 202: PendingJoin },
    errors: { 401: ['INVALID_PIN', 'UNAUTHENTICATED'], 404: ['NOT_FOUND'], 409: ['NO_OPEN_SESSION', 'SESSION_FULL'], 429: ['PIN_BLOCKED'] },
  },
  getJoinRequest: {
    method: 'GET',
    path: '/v1/join-requests/{joinRequestId}',
    fn: 'join',
    allow: ['PUBLIC'],
    summary: 'Public, with the poll token: where a join request of a guarded session stands; on APPROVED, the join.',
    request: {
      headers: {
        Authorization: {
          schema: z.string().regex(/^Bearer pt_[\w-]{43}$/),
          status: 401,
          code: 'UNAUTHENTICATED',
          description: '`Bearer <pollToken>` from the 202 answer to the join.',
          securityScheme: 'pollToken',
        },
      },
    },
    responses: { 200: JoinRequestState },
    errors: { 409: ['NO_OPEN_SESSION', 'SESSION_FULL'] },
  },
  approveJoinRequest: {
    method: 'POST',
    path: '/v1/join-requests/{joinRequestId}/approve',
    fn: 'join',
    audit: 'join.approve',
    allow: ['GUEST', ...FLOOR],
    summary: "Lets a pending join request in: a guest of its session or the floor staff of its restaurant.",
    responses: { 204: null },
    errors: { 409: ['JOIN_REQUEST_CLOSED'] },
  },
  denyJoinRequest: {
    method: 'POST',
    path: '/v1/join-requests/{joinRequestId}/deny',
    fn: 'join',
    audit: 'join.deny',
    allow: ['GUEST', ...FLOOR],
    summary: 'Turns a pending join request away: a guest of its session or the floor staff of its restaurant.',
    responses: { 204: null },
    errors: { 409: ['JOIN_REQUEST_CLOSED'] },
  },
  getGuestSession: {
    method: 'GET',
    path: '/v1/session',
    fn: 'guest',
    allow: ['GUEST'],
    summary: "The guest's session, table, restaurant and fellow guests.",
    responses: { 200: GuestSession },
  },
  requestService: {
    method: 'POST',
    path: '/v1/session/requests',
    fn: 'guest',
    audit: 'service.request',
    allow: ['GUEST'],
    summary: 'Calls the waiter or asks for the bill: the floor hears it at once; one open request per type per session.',
    request: { body: ServiceRequestBody },
    responses: { 201: CreatedServiceRequest },
    errors: { 409: ['REQUEST_ALREADY_OPEN'] },
  },
  getCart: {
    method: 'GET',
    path: '/v1/cart',
    fn: 'guest',
    allow: ['GUEST'],
    summary: "The guest's cart: the session's (FAMILY) or their own (INDIVIDUAL).",
    responses: { 200: Cart },
  },
  addCartLine: {
    method: 'POST',
    path: '/v1/cart/lines',
    fn: 'guest',
    audit: false,
    allow: ['GUEST'],
    summary: 'Adds a menu item to the cart at the menu price.',
    request: { body: AddLineBody },
    responses: { 201: Cart },
    errors: { 404: ['NOT_FOUND'], 409: ['ITEM_UNAVAILABLE', 'OPTION_UNAVAILABLE', 'CART_FULL'] },
  },
  updateCartLine: {
    method: 'PATCH',
    path: '/v1/cart/lines/{lineId}',
    fn: 'guest',
    audit: false,
    allow: ['GUEST'],
    summary: 'Changes quantity or notes of a cart line (quantity 0 removes it).',
    request: { body: UpdateLineBody },
    responses: { 200: Cart },
    errors: { 409: ['ITEM_UNAVAILABLE', 'OPTION_UNAVAILABLE'] },
  },
  removeCartLine: {
    method: 'DELETE',
    path: '/v1/cart/lines/{lineId}',
    fn: 'guest',
    audit: false,
    allow: ['GUEST'],
    summary: 'Removes a cart line.',
    responses: { 200: Cart },
  },
  placeOrder: {
    method: 'POST',
    path: '/v1/orders',
    fn: 'orders',
    audit: 'order.place',
    allow: ['GUEST'],
    summary: 'Turns the cart into an order, idempotently (Idempotency-Key header).',
    request: {
      headers: {
        'Idempotency-Key': {
          schema: IdempotencyKey,
          code: 'IDEMPOTENCY_KEY_REQUIRED',
          description: 'Names this placement, scoped to the session: the same key and body again answer the first result.',
        },
      },
      body: PlaceOrderBody,
    },
    responses: { 201: Order },
    responseHeaders: { 'Idempotent-Replayed': 'Present, with `true`, when this is the stored answer to an earlier request with the same key.' },
    errors: {
      409: ['CART_CHANGED', 'CART_EMPTY', 'ITEM_UNAVAILABLE', 'OPTION_UNAVAILABLE', 'IDEMPOTENCY_IN_PROGRESS', 'CART_FULL', 'MENU_CHANGED'],
      422: ['IDEMPOTENCY_KEY_REUSED'],
    },
  },
  listOrders: {
    method: 'GET',
    path: '/v1/orders',
    fn: 'guest',
    allow: ['GUEST'],
    summary: "The session's orders (FAMILY) or the guest's own (INDIVIDUAL).",
    responses: { 200: OrderList },
  },
  getOrder: {
    method: 'GET',
    path: '/v1/orders/{orderId}',
    fn: 'guest',
    allow: ['GUEST'],
    summary: 'One order the guest may see.',
    responses: { 200: Order },
  },
  listTickets: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/kitchen/tickets',
    fn: 'kitchen',
    allow: STAFF,
    summary: 'Active kitchen tickets, oldest first, price-free, optionally for one station.',
    request: { query: TicketsQuery },
    responses: { 200: TicketPage },
  },
  changeLineStatus: {
    method: 'PATCH',
    path: '/v1/restaurants/{restaurantId}/kitchen/orders/{orderId}/lines/{lineId}',
    fn: 'kitchen',
    audit: false,
    allow: STAFF,
    summary: 'Moves an order line along (HELD →) QUEUED → IN_PROGRESS → READY → SERVED (WAITER: SERVED only).',
    request: { body: LineStatusBody },
    responses: { 200: KitchenLine },
    errors: { 409: ['INVALID_TRANSITION', 'ORDER_BUSY'] },
  },
  bumpTicket: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/kitchen/orders/{orderId}/bump',
    fn: 'kitchen',
    audit: false,
    allow: ['OWNER', 'MANAGER', 'KITCHEN', 'WAITER'],
    summary: 'Bumps a ticket: every line (of the station) still before `to` goes there in one write; held lines stay (WAITER: SERVED only).',
    request: { body: BumpBody },
    responses: { 200: Ticket },
    errors: { 409: ['ORDER_BUSY'] },
  },
  allDay: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/kitchen/all-day',
    fn: 'kitchen',
    allow: ['OWNER', 'MANAGER', 'KITCHEN'],
    summary: 'All-day counts: how many of each dish (options folded into the name) are queued, in progress and held across active tickets.',
    request: { query: AllDayQuery },
    responses: { 200: AllDay },
  },

  getOpenApi: {
    method: 'GET',
    path: '/v1/openapi.json',
    fn: 'openapi',
    allow: ['PUBLIC'],
    summary: 'Public: this API as an OpenAPI 3.1 document.',
    responses: { 200: OpenApiDocument },
  },
  listAudit: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/audit',
    fn: 'staff',
    allow: MANAGERS,
    summary: 'The audit log, newest first, paginated with an opaque cursor.',
    request: { query: AuditQuery },
    responses: { 200: AuditPage },
  },
} as const satisfies Record<string, RestRoute>;

export type RestRouteName = keyof typeof restRoutes;

/** The routes one REST function serves. */
export type RestRoutesOf<F extends RestFunctionName> = {
  [R in RestRouteName]: (typeof restRoutes)[R]['fn'] extends F ? R : never;
}[RestRouteName];

/** The Lambda REQUEST authorizer shared by every non-public REST route and WebSocket `$connect`. */
export const authorizer = { entry: 'functions/auth/authorizer.ts', table: 'read' } as const satisfies FunctionSpec;

export interface WebSocketRoute {
  /** The handler's return body is sent back on the socket (a two-way route). */
  returnResponse?: boolean;
}

/**
 * WebSocket routes, selected by `$request.body.action`; `$connect` runs the REQUEST authorizer
 * first (token in `?token=` or the Authorization header). One function serves them all: a phone's
 * connect, subscribe and sync then meet one warm container.
 */
export const webSocketRoutes = {
  $connect: {},
  $disconnect: {},
  subscribe: { returnResponse: true },
  sync: { returnResponse: true },
  ping: { returnResponse: true },
  $default: { returnResponse: true },
} as const satisfies Record<string, WebSocketRoute>;

export type WebSocketRouteKey = keyof typeof webSocketRoutes;

export const webSocketFunction = { entry: 'functions/ws/index.ts', table: 'readWrite' } as const satisfies FunctionSpec;

/** The DynamoDB Streams consumer that turns every change into WebSocket messages. */
export const streamConsumer = { entry: 'functions/streams/fanout.ts', table: 'readWrite' } as const satisfies FunctionSpec;

/** What the stream consumer invokes with one share of a big channel's messages to post. */
export const deliveryFunction = { entry: 'functions/streams/deliver.ts', table: 'none' } as const satisfies FunctionSpec;

/** What a timed 86's one-time schedule invokes: the item is available again. */
export const availabilityTimer = { entry: 'functions/schedules/availability-timer.ts', table: 'readWrite' } as const satisfies FunctionSpec;

/** Every Lambda function of the system (the authorizer runs in both API stacks). */
export const lambdaFunctions: readonly FunctionSpec[] = [authorizer, ...Object.values(restFunctions), webSocketFunction, streamConsumer, deliveryFunction, availabilityTimer];
