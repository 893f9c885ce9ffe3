/**
 * The route manifest: every Lambda function, every REST and WebSocket route, which function serves
 * it and who may call it. The CDK stacks and the local gateways are both built from it, each
 * function's entry dispatches exactly its routes (type-checked against this list), and the REST
 * handler wrapper enforces `allow`, so none of them can drift apart. Pure data: it imports only the core vocabulary.
 */
import { ROLES } from '../core';
import type { Role } from '../core';

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
}

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
  },
  logout: {
    method: 'POST',
    path: '/v1/logout',
    fn: 'staff',
    audit: 'logout',
    allow: ANY_TOKEN,
    summary: 'Revokes the calling token at once.',
  },
  getRestaurant: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}',
    fn: 'staff',
    allow: STAFF,
    summary: "The staff member's restaurant.",
  },
  createStaff: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/staff',
    fn: 'staff',
    audit: 'staff.create',
    allow: MANAGERS,
    summary: 'Creates a staff account (a MANAGER cannot create an OWNER).',
  },
  listStaff: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/staff',
    fn: 'staff',
    allow: MANAGERS,
    summary: "Lists the restaurant's staff accounts, without secrets.",
  },
  deleteStaff: {
    method: 'DELETE',
    path: '/v1/restaurants/{restaurantId}/staff/{staffId}',
    fn: 'staff',
    audit: 'staff.delete',
    allow: MANAGERS,
    summary: "Deletes a staff account and revokes all of that person's tokens.",
  },
  createTable: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/tables',
    fn: 'tables',
    audit: 'table.create',
    allow: MANAGERS,
    summary: 'Creates a table with an unguessable table code and its order URL.',
  },
  listTables: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/tables',
    fn: 'tables',
    allow: FLOOR,
    summary: "Lists the restaurant's tables with the open session of each, if any.",
  },
  getTableQr: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/tables/{tableId}/qr.svg',
    fn: 'tables',
    allow: MANAGERS,
    summary: "The table's QR code (SVG) of its order URL.",
  },
  rotateTableCode: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/tables/{tableId}/code',
    fn: 'tables',
    audit: 'table.code_rotate',
    allow: MANAGERS,
    summary: 'Gives the table a new code; the old QR code stops working.',
  },
  resolveTableCode: {
    method: 'GET',
    path: '/v1/tables/{tableCode}',
    fn: 'tables',
    allow: ['PUBLIC'],
    summary: 'Public: which restaurant and table a scanned code belongs to (404 for unknown or replaced codes).',
  },
  createMenuItem: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/menu/items',
    fn: 'menu',
    audit: 'menu.item_create',
    allow: MANAGERS,
    summary: 'Adds a menu item.',
  },
  updateMenuItem: {
    method: 'PATCH',
    path: '/v1/restaurants/{restaurantId}/menu/items/{itemId}',
    fn: 'menu',
    audit: 'menu.item_update',
    allow: MENU_EDITORS,
    summary: 'Changes a menu item (KITCHEN: `available` only).',
  },
  archiveMenuItem: {
    method: 'DELETE',
    path: '/v1/restaurants/{restaurantId}/menu/items/{itemId}',
    fn: 'menu',
    audit: 'menu.item_archive',
    allow: MANAGERS,
    summary: 'Archives a menu item: gone from the menu, kept for past orders.',
  },
  getMenu: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/menu',
    fn: 'menu',
    allow: ['PUBLIC'],
    summary: 'Public: the menu grouped by category, without archived items.',
  },
  openSession: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/tables/{tableId}/sessions',
    fn: 'sessions',
    audit: 'session.open',
    allow: FLOOR,
    summary: 'Opens a FAMILY or INDIVIDUAL session on a free table; the response shows its PIN once.',
  },
  listSessions: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/sessions',
    fn: 'sessions',
    allow: FLOOR,
    summary: 'Lists open sessions (no PINs).',
  },
  getSession: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/sessions/{sessionId}',
    fn: 'sessions',
    allow: FLOOR,
    summary: 'A session with its guests, orders and bill.',
  },
  renewPin: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/sessions/{sessionId}/pin',
    fn: 'sessions',
    audit: 'session.pin_renew',
    allow: FLOOR,
    summary: "A new PIN for the session; the PIN lockout resets.",
  },
  moveSession: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/sessions/{sessionId}/move',
    fn: 'sessions',
    audit: 'session.move',
    allow: FLOOR,
    summary: 'Moves the session to another free table.',
  },
  closeSession: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/sessions/{sessionId}/close',
    fn: 'sessions',
    audit: 'session.close',
    allow: FLOOR,
    summary: "Closes the session; its guests' tokens stop working.",
  },
  joinSession: {
    method: 'POST',
    path: '/v1/sessions/join',
    fn: 'join',
    audit: 'pin.attempt',
    allow: ['PUBLIC'],
    summary: "Public: joins the scanned table's session with its PIN and returns a guest token.",
  },
  getGuestSession: {
    method: 'GET',
    path: '/v1/session',
    fn: 'guest',
    allow: ['GUEST'],
    summary: "The guest's session, table, restaurant and fellow guests.",
  },
  getCart: {
    method: 'GET',
    path: '/v1/cart',
    fn: 'guest',
    allow: ['GUEST'],
    summary: "The guest's cart: the session's (FAMILY) or their own (INDIVIDUAL).",
  },
  addCartLine: {
    method: 'POST',
    path: '/v1/cart/lines',
    fn: 'guest',
    audit: false,
    allow: ['GUEST'],
    summary: 'Adds a menu item to the cart at the menu price.',
  },
  updateCartLine: {
    method: 'PATCH',
    path: '/v1/cart/lines/{lineId}',
    fn: 'guest',
    audit: false,
    allow: ['GUEST'],
    summary: 'Changes quantity or notes of a cart line (quantity 0 removes it).',
  },
  removeCartLine: {
    method: 'DELETE',
    path: '/v1/cart/lines/{lineId}',
    fn: 'guest',
    audit: false,
    allow: ['GUEST'],
    summary: 'Removes a cart line.',
  },
  placeOrder: {
    method: 'POST',
    path: '/v1/orders',
    fn: 'orders',
    audit: 'order.place',
    allow: ['GUEST'],
    summary: 'Turns the cart into an order, idempotently (Idempotency-Key header).',
  },
  listOrders: {
    method: 'GET',
    path: '/v1/orders',
    fn: 'guest',
    allow: ['GUEST'],
    summary: "The session's orders (FAMILY) or the guest's own (INDIVIDUAL).",
  },
  getOrder: {
    method: 'GET',
    path: '/v1/orders/{orderId}',
    fn: 'guest',
    allow: ['GUEST'],
    summary: 'One order the guest may see.',
  },
  listTickets: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/kitchen/tickets',
    fn: 'kitchen',
    allow: STAFF,
    summary: 'Active kitchen tickets, oldest first, price-free, optionally for one station.',
  },
  changeLineStatus: {
    method: 'PATCH',
    path: '/v1/restaurants/{restaurantId}/kitchen/orders/{orderId}/lines/{lineId}',
    fn: 'kitchen',
    audit: false,
    allow: STAFF,
    summary: 'Moves an order line along QUEUED → IN_PROGRESS → READY → SERVED (WAITER: SERVED only).',
  },
  getOpenApi: {
    method: 'GET',
    path: '/v1/openapi.json',
    fn: 'openapi',
    allow: ['PUBLIC'],
    summary: 'Public: this API as an OpenAPI 3.1 document.',
  },
  listAudit: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/audit',
    fn: 'staff',
    allow: MANAGERS,
    summary: 'The audit log, newest first, paginated with an opaque cursor.',
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

/** Every Lambda function of the system (the authorizer runs in both API stacks). */
export const lambdaFunctions: readonly FunctionSpec[] = [authorizer, ...Object.values(restFunctions), webSocketFunction, streamConsumer];
