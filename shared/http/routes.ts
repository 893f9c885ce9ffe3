/**
 * The route manifest: every REST and WebSocket route, its handler file and who may call it.
 * The CDK API stack and the local gateway are both built from this list, and the REST handler
 * wrapper enforces `allow`, so the three can never drift apart. Pure data: no imports of code.
 */
export const ROLES = ['OWNER', 'MANAGER', 'WAITER', 'KITCHEN'] as const;
export type Role = (typeof ROLES)[number];

/** `PUBLIC` routes have no authorizer; the others run it and then check the caller's role. */
export type Caller = 'PUBLIC' | 'GUEST' | Role;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RestRoute {
  method: HttpMethod;
  /** API Gateway resource path, with `{name}` path parameters. */
  path: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  handler: string;
  allow: readonly Caller[];
  /** Least-privilege table access for the handler's function. */
  table: 'none' | 'read' | 'readWrite';
  /**
   * The audit action recorded for every call, whatever its outcome; every state-changing route says
   * whether it is audited (`false` for high-volume guest actions such as cart edits).
   */
  audit?: string | false;
  /** The function may read the PIN hashing key. */
  pinKey?: boolean;
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
    handler: 'functions/http/staff-login.ts',
    audit: 'staff.login',
    allow: ['PUBLIC'],
    table: 'readWrite',
    summary: 'Staff login: exchanges username and password for a staff token.',
  },
  logout: {
    method: 'POST',
    path: '/v1/logout',
    handler: 'functions/http/logout.ts',
    audit: 'logout',
    allow: ANY_TOKEN,
    table: 'readWrite',
    summary: 'Revokes the calling token at once.',
  },
  getRestaurant: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}',
    handler: 'functions/http/get-restaurant.ts',
    allow: STAFF,
    table: 'read',
    summary: "The staff member's restaurant.",
  },
  createStaff: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/staff',
    handler: 'functions/http/create-staff.ts',
    audit: 'staff.create',
    allow: MANAGERS,
    table: 'readWrite',
    summary: 'Creates a staff account (a MANAGER cannot create an OWNER).',
  },
  listStaff: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/staff',
    handler: 'functions/http/list-staff.ts',
    allow: MANAGERS,
    table: 'read',
    summary: "Lists the restaurant's staff accounts, without secrets.",
  },
  deleteStaff: {
    method: 'DELETE',
    path: '/v1/restaurants/{restaurantId}/staff/{staffId}',
    handler: 'functions/http/delete-staff.ts',
    audit: 'staff.delete',
    allow: MANAGERS,
    table: 'readWrite',
    summary: "Deletes a staff account and revokes all of that person's tokens.",
  },
  createTable: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/tables',
    handler: 'functions/http/create-table.ts',
    audit: 'table.create',
    allow: MANAGERS,
    table: 'readWrite',
    summary: 'Creates a table with an unguessable table code and its order URL.',
  },
  listTables: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/tables',
    handler: 'functions/http/list-tables.ts',
    allow: FLOOR,
    table: 'read',
    summary: "Lists the restaurant's tables with the open session of each, if any.",
  },
  getTableQr: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/tables/{tableId}/qr.svg',
    handler: 'functions/http/get-table-qr.ts',
    allow: MANAGERS,
    table: 'read',
    summary: "The table's QR code (SVG) of its order URL.",
  },
  rotateTableCode: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/tables/{tableId}/code',
    handler: 'functions/http/rotate-table-code.ts',
    audit: 'table.code_rotate',
    allow: MANAGERS,
    table: 'readWrite',
    summary: 'Gives the table a new code; the old QR code stops working.',
  },
  resolveTableCode: {
    method: 'GET',
    path: '/v1/tables/{tableCode}',
    handler: 'functions/http/resolve-table-code.ts',
    allow: ['PUBLIC'],
    table: 'read',
    summary: 'Public: which restaurant and table a scanned code belongs to (404 for unknown or replaced codes).',
  },
  createMenuItem: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/menu/items',
    handler: 'functions/http/create-menu-item.ts',
    audit: 'menu.item_create',
    allow: MANAGERS,
    table: 'readWrite',
    summary: 'Adds a menu item.',
  },
  updateMenuItem: {
    method: 'PATCH',
    path: '/v1/restaurants/{restaurantId}/menu/items/{itemId}',
    handler: 'functions/http/update-menu-item.ts',
    audit: 'menu.item_update',
    allow: MENU_EDITORS,
    table: 'readWrite',
    summary: 'Changes a menu item (KITCHEN: `available` only).',
  },
  archiveMenuItem: {
    method: 'DELETE',
    path: '/v1/restaurants/{restaurantId}/menu/items/{itemId}',
    handler: 'functions/http/archive-menu-item.ts',
    audit: 'menu.item_archive',
    allow: MANAGERS,
    table: 'readWrite',
    summary: 'Archives a menu item: gone from the menu, kept for past orders.',
  },
  getMenu: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/menu',
    handler: 'functions/http/get-menu.ts',
    allow: ['PUBLIC'],
    table: 'read',
    summary: 'Public: the menu grouped by category, without archived items.',
  },
  openSession: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/tables/{tableId}/sessions',
    handler: 'functions/http/open-session.ts',
    audit: 'session.open',
    allow: FLOOR,
    table: 'readWrite',
    pinKey: true,
    summary: 'Opens a FAMILY or INDIVIDUAL session on a free table; the response shows its PIN once.',
  },
  listSessions: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/sessions',
    handler: 'functions/http/list-sessions.ts',
    allow: FLOOR,
    table: 'read',
    summary: 'Lists open sessions (no PINs).',
  },
  getSession: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/sessions/{sessionId}',
    handler: 'functions/http/get-session.ts',
    allow: FLOOR,
    table: 'read',
    summary: 'A session with its guests, orders and bill.',
  },
  renewPin: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/sessions/{sessionId}/pin',
    handler: 'functions/http/renew-pin.ts',
    audit: 'session.pin_renew',
    allow: FLOOR,
    table: 'readWrite',
    pinKey: true,
    summary: "A new PIN for the session; the PIN lockout resets.",
  },
  moveSession: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/sessions/{sessionId}/move',
    handler: 'functions/http/move-session.ts',
    audit: 'session.move',
    allow: FLOOR,
    table: 'readWrite',
    summary: 'Moves the session to another free table.',
  },
  closeSession: {
    method: 'POST',
    path: '/v1/restaurants/{restaurantId}/sessions/{sessionId}/close',
    handler: 'functions/http/close-session.ts',
    audit: 'session.close',
    allow: FLOOR,
    table: 'readWrite',
    summary: "Closes the session; its guests' tokens stop working.",
  },
  joinSession: {
    method: 'POST',
    path: '/v1/sessions/join',
    handler: 'functions/http/join-session.ts',
    audit: 'pin.attempt',
    allow: ['PUBLIC'],
    table: 'readWrite',
    pinKey: true,
    summary: "Public: joins the scanned table's session with its PIN and returns a guest token.",
  },
  getGuestSession: {
    method: 'GET',
    path: '/v1/session',
    handler: 'functions/http/get-guest-session.ts',
    allow: ['GUEST'],
    table: 'read',
    summary: "The guest's session, table, restaurant and fellow guests.",
  },
  getCart: {
    method: 'GET',
    path: '/v1/cart',
    handler: 'functions/http/get-cart.ts',
    allow: ['GUEST'],
    table: 'read',
    summary: "The guest's cart: the session's (FAMILY) or their own (INDIVIDUAL).",
  },
  addCartLine: {
    method: 'POST',
    path: '/v1/cart/lines',
    handler: 'functions/http/add-cart-line.ts',
    audit: false,
    allow: ['GUEST'],
    table: 'readWrite',
    summary: 'Adds a menu item to the cart at the menu price.',
  },
  updateCartLine: {
    method: 'PATCH',
    path: '/v1/cart/lines/{lineId}',
    handler: 'functions/http/update-cart-line.ts',
    audit: false,
    allow: ['GUEST'],
    table: 'readWrite',
    summary: 'Changes quantity or notes of a cart line (quantity 0 removes it).',
  },
  removeCartLine: {
    method: 'DELETE',
    path: '/v1/cart/lines/{lineId}',
    handler: 'functions/http/remove-cart-line.ts',
    audit: false,
    allow: ['GUEST'],
    table: 'readWrite',
    summary: 'Removes a cart line.',
  },
  placeOrder: {
    method: 'POST',
    path: '/v1/orders',
    handler: 'functions/http/place-order.ts',
    audit: 'order.place',
    allow: ['GUEST'],
    table: 'readWrite',
    summary: 'Turns the cart into an order, idempotently (Idempotency-Key header).',
  },
  listOrders: {
    method: 'GET',
    path: '/v1/orders',
    handler: 'functions/http/list-orders.ts',
    allow: ['GUEST'],
    table: 'read',
    summary: "The session's orders (FAMILY) or the guest's own (INDIVIDUAL).",
  },
  getOrder: {
    method: 'GET',
    path: '/v1/orders/{orderId}',
    handler: 'functions/http/get-order.ts',
    allow: ['GUEST'],
    table: 'read',
    summary: 'One order the guest may see.',
  },
  listTickets: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/kitchen/tickets',
    handler: 'functions/http/list-tickets.ts',
    allow: STAFF,
    table: 'read',
    summary: 'Active kitchen tickets, oldest first, price-free, optionally for one station.',
  },
  changeLineStatus: {
    method: 'PATCH',
    path: '/v1/restaurants/{restaurantId}/kitchen/orders/{orderId}/lines/{lineId}',
    handler: 'functions/http/change-line-status.ts',
    audit: false,
    allow: STAFF,
    table: 'readWrite',
    summary: 'Moves an order line along QUEUED → IN_PROGRESS → READY → SERVED (WAITER: SERVED only).',
  },
  getOpenApi: {
    method: 'GET',
    path: '/v1/openapi.json',
    handler: 'functions/http/get-openapi.ts',
    allow: ['PUBLIC'],
    table: 'none',
    summary: 'Public: this API as an OpenAPI 3.1 document.',
  },
  listAudit: {
    method: 'GET',
    path: '/v1/restaurants/{restaurantId}/audit',
    handler: 'functions/http/list-audit.ts',
    allow: MANAGERS,
    table: 'read',
    summary: 'The audit log, newest first, paginated with an opaque cursor.',
  },
} as const satisfies Record<string, RestRoute>;

export type RestRouteName = keyof typeof restRoutes;

/** The Lambda REQUEST authorizer shared by every non-public REST route and WebSocket `$connect`. */
export const authorizer = { handler: 'functions/auth/authorizer.ts', table: 'read' } as const;

export interface WebSocketRoute {
  handler: string;
  table: 'none' | 'read' | 'readWrite';
  /** The handler's return body is sent back on the socket (a two-way route). */
  returnResponse?: boolean;
}

/**
 * WebSocket routes, selected by `$request.body.action`; `$connect` runs the REQUEST authorizer
 * first (token in `?token=` or the Authorization header).
 */
export const webSocketRoutes = {
  $connect: { handler: 'functions/ws/connect.ts', table: 'readWrite' },
  $disconnect: { handler: 'functions/ws/disconnect.ts', table: 'readWrite' },
  subscribe: { handler: 'functions/ws/subscribe.ts', table: 'readWrite', returnResponse: true },
  sync: { handler: 'functions/ws/sync.ts', table: 'read', returnResponse: true },
  ping: { handler: 'functions/ws/ping.ts', table: 'none', returnResponse: true },
  $default: { handler: 'functions/ws/default.ts', table: 'none', returnResponse: true },
} as const satisfies Record<string, WebSocketRoute>;

/** The DynamoDB Streams consumer that turns every change into WebSocket messages. */
export const streamConsumer = { handler: 'functions/streams/fanout.ts', table: 'readWrite' } as const;
