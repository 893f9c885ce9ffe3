/**
 * Typed key builders: the only place that knows how keys are spelled. Every item lives in one
 * table under generic `pk`/`sk` names; the README's access-pattern table lists who reads what.
 */
export type Key = { pk: string; sk: string };

const restaurantPk = (restaurantId: string) => `RESTAURANT#${restaurantId}`;

export const keys = {
  /** The restaurant's profile. */
  restaurant: (restaurantId: string): Key => ({ pk: restaurantPk(restaurantId), sk: 'PROFILE' }),

  /** A staff member (no secrets on this item). Listed with {@link keyPrefixes.staff}. */
  staff: (restaurantId: string, staffId: string): Key => ({ pk: restaurantPk(restaurantId), sk: `STAFF#${staffId}` }),

  /** Login credentials by username: the password hash lives here only, never on the staff item. */
  credential: (restaurantId: string, username: string): Key => ({
    pk: restaurantPk(restaurantId),
    sk: `CREDENTIAL#${username}`,
  }),

  /** Failed logins of one username from all unknown devices together, and its lockout. */
  loginAttempts: (restaurantId: string, username: string): Key => ({
    pk: restaurantPk(restaurantId),
    sk: `LOGIN_ATTEMPTS#${username}`,
  }),

  /** Failed logins of one username from one source IP (unknown devices), and that source's block. */
  loginSource: (restaurantId: string, username: string, sourceIp: string): Key => ({
    pk: restaurantPk(restaurantId),
    sk: `LOGIN_SOURCE#${username}#${sourceIp}`,
  }),

  /** A staff device, by the SHA-256 of its device token: whose it is, and its own failed logins. */
  device: (restaurantId: string, deviceHash: string): Key => ({ pk: restaurantPk(restaurantId), sk: `DEVICE#${deviceHash}` }),

  /** Failed logins from one source IP in the window starting at `windowStart`, whatever the restaurant. */
  loginFailures: (sourceIp: string, windowStart: number): Key => ({ pk: `IP#${sourceIp}`, sk: `LOGIN_FAILURES#${windowStart}` }),

  /** A dining table; its current code is also a key of its own ({@link keys.tableCode}). */
  table: (restaurantId: string, tableId: string): Key => ({ pk: restaurantPk(restaurantId), sk: `TABLE#${tableId}` }),

  /** The QR code's table code → restaurant and table: one GetItem when a guest scans. */
  tableCode: (tableCode: string): Key => ({ pk: `TABLE_CODE#${tableCode}`, sk: 'TABLE_CODE' }),

  /** A menu item; archived items keep this key so past orders can still read them. */
  menuItem: (restaurantId: string, itemId: string): Key => ({ pk: restaurantPk(restaurantId), sk: `MENU_ITEM#${itemId}` }),

  /** A table session; its guests (and later cart and orders) share its partition. */
  session: (sessionId: string): Key => ({ pk: `SESSION#${sessionId}`, sk: '#SESSION' }),

  guest: (sessionId: string, guestId: string): Key => ({ pk: `SESSION#${sessionId}`, sk: `GUEST#${guestId}` }),

  /** Back-reference from a guest to one of their tokens, so removing the guest revokes them all. */
  guestToken: (sessionId: string, guestId: string, tokenHash: string): Key => ({
    pk: `SESSION#${sessionId}`,
    sk: `GUEST_TOKEN#${guestId}#${tokenHash}`,
  }),

  /** A staff-issued rejoin code for one guest, by the HMAC of the code; deleted when used. */
  rejoinCode: (sessionId: string, codeHash: string): Key => ({ pk: `SESSION#${sessionId}`, sk: `REJOIN_CODE#${codeHash}` }),

  /** A cart: the session's (FAMILY) or one guest's (INDIVIDUAL). */
  cart: (sessionId: string, owner: string): Key => ({ pk: `SESSION#${sessionId}`, sk: `CART#${owner}` }),

  order: (sessionId: string, orderId: string): Key => ({ pk: `SESSION#${sessionId}`, sk: `ORDER#${orderId}` }),

  /** Which session an order id belongs to: the kitchen addresses orders by id alone. */
  orderRef: (orderId: string): Key => ({ pk: `ORDER_REF#${orderId}`, sk: 'ORDER_REF' }),

  /** Ticket numbers of one restaurant day (UTC), from an atomic counter. */
  ticketCounter: (restaurantId: string, day: string): Key => ({ pk: restaurantPk(restaurantId), sk: `TICKET_COUNTER#${day}` }),

  /** A session's wrong-PIN count from all sources, and whether it is guarded (joins need approval). */
  pinGuard: (sessionId: string): Key => ({ pk: `SESSION#${sessionId}`, sk: 'PIN_GUARD' }),

  /** Wrong PINs from one source IP for one session, and that source's block. */
  pinSource: (sessionId: string, sourceIp: string): Key => ({ pk: `SESSION#${sessionId}`, sk: `PIN_SOURCE#${sourceIp}` }),

  /** A guest's call for the waiter or the bill, listed by the floor while open. */
  serviceRequest: (restaurantId: string, requestId: string): Key => ({ pk: restaurantPk(restaurantId), sk: `SERVICE_REQUEST#${requestId}` }),

  /** The one open request of a type in a session: its existence is what refuses a second. */
  openServiceRequest: (sessionId: string, type: string): Key => ({ pk: `SESSION#${sessionId}`, sk: `OPEN_REQUEST#${type}` }),

  /**
   * A Powertools idempotency record, in a partition of its own: `key` is Powertools' hashed key
   * (function name and a hash of session and Idempotency-Key), so records spread over the whole
   * key space instead of sharing one partition between every restaurant.
   */
  idempotencyRecord: (key: string): Key => ({ pk: `IDEMPOTENCY#${key}`, sk: 'IDEMPOTENCY' }),
  /** A join request of a guarded session, polled by its requester with the poll token. */
  joinRequest: (joinRequestId: string): Key => ({ pk: `JOIN_REQUEST#${joinRequestId}`, sk: 'JOIN_REQUEST' }),

  /** Failed joins from one source IP in the window starting at `windowStart` (epoch seconds). */
  joinFailures: (sourceIp: string, windowStart: number): Key => ({ pk: `IP#${sourceIp}`, sk: `JOIN_FAILURES#${windowStart}` }),

  /** An audit entry: newest-first Query within a restaurant's audit partition. */
  audit: (restaurantId: string, at: string, entryId: string): Key => ({ pk: `AUDIT#${restaurantId}`, sk: `${at}#${entryId}` }),

  /** A WebSocket connection: who it is and which channels it is in. */
  connection: (connectionId: string): Key => ({ pk: `CONNECTION#${connectionId}`, sk: 'CONNECTION' }),

  /** Membership of a connection in a channel: the fan-out finds a channel's connections with one Query. */
  channelMember: (channel: string, connectionId: string): Key => ({ pk: `CHANNEL#${channel}`, sk: `CONNECTION#${connectionId}` }),

  /** Link from a token to a connection it opened, beside the token item: revoking the token closes it. */
  tokenConnection: (tokenHash: string, connectionId: string): Key => ({ pk: `TOKEN#${tokenHash}`, sk: `CONNECTION#${connectionId}` }),

  /** One of the few sockets a token may hold open at once; taken by a conditional put, freed on disconnect. */
  socketSlot: (tokenHash: string, slot: number): Key => ({ pk: `TOKEN#${tokenHash}`, sk: `SOCKET_SLOT#${slot}` }),

  /** A bearer token, found by the SHA-256 of its value (the value itself is never stored). */
  token: (tokenHash: string): Key => ({ pk: `TOKEN#${tokenHash}`, sk: 'TOKEN' }),

  /** Back-reference from a staff member to one of their tokens, so deleting the person revokes them all. */
  staffToken: (restaurantId: string, staffId: string, tokenHash: string): Key => ({
    pk: restaurantPk(restaurantId),
    sk: `STAFF_TOKEN#${staffId}#${tokenHash}`,
  }),
} as const;

/** The token hash a token item's partition key carries (stream records of a removed token have only keys). */
export const tokenHashOf = (tokenPk: string): string => tokenPk.slice('TOKEN#'.length);

/** Sort-key prefixes for Query with begins_with inside a restaurant's partition. */
export const keyPrefixes = {
  restaurantPk,
  sessionPk: (sessionId: string) => `SESSION#${sessionId}`,
  guests: 'GUEST#',
  orders: 'ORDER#',
  connections: 'CONNECTION#',
  channelPk: (channel: string) => `CHANNEL#${channel}`,
  tokenPk: (tokenHash: string) => `TOKEN#${tokenHash}`,
  auditPk: (restaurantId: string) => `AUDIT#${restaurantId}`,
  staff: 'STAFF#',
  staffTokens: (staffId: string) => `STAFF_TOKEN#${staffId}#`,
  guestTokens: (guestId: string) => `GUEST_TOKEN#${guestId}#`,
  loginSources: (username: string) => `LOGIN_SOURCE#${username}#`,
  tables: 'TABLE#',
} as const;

/**
 * gsi1 keys of the public menu: the restaurant profile and every live (not archived) menu item share
 * one gsi1 partition, so the whole menu is one Query. Archiving removes an item's gsi1 keys.
 */
export const menuIndex = {
  pk: (restaurantId: string) => `MENU#${restaurantId}`,
  profileSk: '#RESTAURANT',
  itemSk: (category: string, itemId: string) => `ITEM#${category}#${itemId}`,
} as const;

/** gsi2 (keys only) keys of a restaurant's active orders (the kitchen's tickets), oldest first. */
export const activeOrdersIndex = {
  pk: (restaurantId: string) => `ACTIVE_ORDERS#${restaurantId}`,
  sk: (placedAt: string, orderId: string) => `${placedAt}#${orderId}`,
} as const;


/** gsi1 keys of a restaurant's open sessions; closing a session removes them. */
/** gsi1 keys of a restaurant's open service requests, oldest first; acknowledging removes them. */
export const openRequestsIndex = {
  pk: (restaurantId: string) => `OPEN_REQUESTS#${restaurantId}`,
  sk: (at: string, requestId: string) => `${at}#${requestId}`,
} as const;

export const openSessionsIndex = {
  pk: (restaurantId: string) => `OPEN_SESSIONS#${restaurantId}`,
  sk: (openedAt: string, sessionId: string) => `${openedAt}#${sessionId}`,
} as const;
