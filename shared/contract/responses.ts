import * as z from 'zod';
import { Id } from '../core';
import { Allergen, Cents, Course, DietaryTag, Language, LineStatus, ServiceRequestType, NextCursor, OrderStatus, Role, SessionMode, Timestamp } from './fields';

/**
 * What the server answers: every success body of the REST API. The domain's views are typed from
 * these, and the handler wrapper type-checks each route's result against its declared response, so
 * the OpenAPI document cannot drift from what is sent. `components` names the shapes the document
 * shares between routes.
 */
export const components = z.globalRegistry;
const named = <T extends z.ZodType>(id: string, schema: T): T => schema.meta({ id });

/** A restaurant as guests see it; `languages` are those its menu can be read in, its own first. */
export const Restaurant = named('Restaurant', z.object({ restaurantId: Id, name: z.string(), currency: z.string(), languages: z.array(Language) }));
/** A restaurant with the settings its managers change. */
export const RestaurantSettings = named(
  'RestaurantSettings',
  Restaurant.extend({ maxGuestsPerSession: z.number().int(), coursing: z.boolean(), defaultPrepMinutes: z.number().int().nullable(), dueSoonMinutes: z.number().int() }),
);

export const StaffMember = named(
  'StaffMember',
  z.object({ staffId: Id, username: z.string(), role: Role, station: z.string().nullable() }),
);
export const LoginResult = z.object({
  token: z.string(),
  expiresAt: Timestamp,
  /** Keep it on this device and send it with every login: nobody elsewhere can lock this device out. */
  deviceToken: z.string(),
  staff: StaffMember,
});
export const StaffList = z.object({ staff: z.array(StaffMember) });

const TableFields = { tableId: Id, name: z.string(), tableCode: z.string(), orderUrl: z.string() };
export const CreatedTable = z.object(TableFields);
export const Table = named('Table', z.object({ ...TableFields, openSessionId: Id.nullable() }));
export const TableList = z.object({ tables: z.array(Table) });
export const NewTableCode = z.object({ tableCode: z.string(), orderUrl: z.string() });
export const ResolvedTableCode = z.object({ restaurant: Restaurant, table: z.object({ name: z.string() }) });

/** An option group as guests and staff read it, with the server's ids. */
export const OptionGroup = named(
  'OptionGroup',
  z.object({
    groupId: Id,
    name: z.string(),
    minSelected: z.number().int(),
    maxSelected: z.number().int(),
    options: z.array(z.object({ optionId: Id, name: z.string(), priceDeltaCents: z.number().int(), available: z.boolean() })),
  }),
);

/** An option chosen on a cart or order line, as priced. */
export const ChosenOption = named(
  'ChosenOption',
  z.object({ groupId: Id, groupName: z.string(), optionId: Id, name: z.string(), priceDeltaCents: z.number().int() }),
);

const MenuItemFields = {
  itemId: Id,
  name: z.string(),
  description: z.string().nullable(),
  priceCents: Cents,
  station: z.string(),
  available: z.boolean(),
  allergens: z.array(Allergen),
  dietary: z.array(DietaryTag),
  course: Course,
  optionGroups: z.array(OptionGroup),
  /** Set while a timed 86 runs: the item comes back by itself then. */
  availableAgainAt: Timestamp.nullable(),
};
/** An item as staff manage it: what guests see, plus its category and what the kitchen works with. */
export const MenuItem = named(
  'MenuItem',
  z.object({
    ...MenuItemFields,
    category: z.string(),
    prepMinutes: z.number().int().nullable(),
    kitchenName: z.string().nullable(),
    translations: z.record(Language, z.object({ name: z.string().optional(), description: z.string().nullable().optional(), category: z.string().optional() })),
  }),
);
export const MenuItemList = z.object({ items: z.array(MenuItem) });
/** How many items an imported menu file added. */
export const MenuImported = z.object({ imported: z.number().int().min(1) });
export const PublicMenuItem = named('PublicMenuItem', z.object(MenuItemFields));
export const PublicMenu = z.object({
  restaurant: Restaurant,
  categories: z.array(z.object({ name: z.string(), items: z.array(PublicMenuItem) })),
});

/** What a guest chose, priced by the server: a cart line's and an order line's common part. */
const PricedLine = {
  lineId: Id,
  itemId: Id,
  name: z.string(),
  quantity: z.number().int(),
  /** The item's price plus its chosen options' deltas, never below 0. */
  unitPriceCents: Cents,
  notes: z.string().nullable(),
  options: z.array(ChosenOption),
};

export const Order = named(
  'Order',
  z.object({
    orderId: Id,
    number: z.number().int().min(1),
    status: OrderStatus,
    placedAt: Timestamp,
    placedBy: Id,
    /** `course` 0 is served at once; with coursing on, later courses wait `HELD` until the floor fires them. */
    lines: z.array(z.object({ ...PricedLine, status: LineStatus, course: Course })),
    totalCents: Cents,
  }),
);
export const OrderList = z.object({ orders: z.array(Order) });

export const OpenedSession = z.object({
  sessionId: Id,
  tableId: Id,
  mode: SessionMode,
  pin: z.string(),
  status: z.literal('OPEN'),
  openedAt: Timestamp,
  expiresAt: Timestamp,
});
export const Session = named(
  'Session',
  z.object({
    sessionId: Id,
    tableId: Id,
    tableName: z.string().nullable(),
    mode: SessionMode,
    status: z.enum(['OPEN', 'CLOSED']),
    openedAt: Timestamp,
    expiresAt: Timestamp,
    closedAt: Timestamp.nullable(),
  }),
);
export const SessionList = z.object({ sessions: z.array(Session) });
const GuestName = z.string().nullable();
export const SessionDetail = Session.extend({
  guests: z.array(z.object({ guestId: Id, guestName: GuestName })),
  orders: z.array(Order),
  bill: z.object({ totalCents: Cents, byGuest: z.array(z.object({ guestId: Id, guestName: GuestName, totalCents: Cents })) }),
});
export const NewPin = z.object({ pin: z.string() });
export const ClosedSession = z.object({ sessionId: Id, status: z.literal('CLOSED') });

export const JoinResult = named(
  'JoinResult',
  z.object({
    token: z.string(),
    sessionId: Id,
    guestId: Id,
    /** Keep it: with `guestId` it resumes this guest on a new join. */
    resumeSecret: z.string(),
    mode: SessionMode,
    expiresAt: Timestamp,
    restaurantId: Id,
    tableName: z.string(),
  }),
);
/** A join attempt on a guarded session: poll `GET /v1/join-requests/{joinRequestId}` with the poll token. */
export const PendingJoin = z.object({
  status: z.literal('PENDING'),
  joinRequestId: Id,
  pollToken: z.string(),
  retryAfterSeconds: z.number().int().min(1),
});
export const JoinRequestState = z.object({
  status: z.enum(['PENDING', 'APPROVED', 'DENIED', 'EXPIRED']),
  /** With APPROVED: the join itself, a token for the approved guest. */
  join: JoinResult.optional(),
});

export const IssuedRejoinCode = z.object({ rejoinCode: z.string(), expiresAt: Timestamp });
export const GuestSession = named(
  'GuestSession',
  z.object({
    sessionId: Id,
    status: z.enum(['OPEN', 'CLOSED']),
    mode: SessionMode,
    expiresAt: Timestamp,
    guestId: Id,
    table: z.object({ tableId: Id, name: z.string() }),
    restaurant: Restaurant,
    guests: z.array(z.object({ guestId: Id, guestName: GuestName, joinedAt: Timestamp })),
  }),
);

export const Cart = named(
  'Cart',
  z.object({
    version: z.number().int().min(0),
    lines: z.array(z.object({ ...PricedLine, lineTotalCents: Cents, addedBy: Id })),
    totalCents: Cents,
  }),
);

/** A kitchen line: what to cook and how far it is. No price, total or amount, by construction. */
export const KitchenLine = named(
  'KitchenLine',
  z.object({
    lineId: Id,
    name: z.string(),
    quantity: z.number().int(),
    notes: z.string().nullable(),
    allergens: z.array(z.string()),
    station: z.string(),
    status: LineStatus,
    updatedAt: Timestamp,
    /** The chosen options by name, never their prices. */
    options: z.array(z.object({ groupName: z.string(), name: z.string() })),
    course: Course,
    /** When the line's course was fired (at placement unless it was held); null while `HELD`. */
    firedAt: Timestamp.nullable(),
  }),
);
export const Ticket = named(
  'Ticket',
  z.object({
    orderId: Id,
    number: z.number().int().min(1),
    tableName: z.string(),
    placedAt: Timestamp,
    status: OrderStatus,
    /** When the slowest fired live line should be ready (its firing + its prep time); null when none has one. */
    dueAt: Timestamp.nullable(),
    lines: z.array(KitchenLine),
  }),
);
export const TicketPage = z.object({ tickets: z.array(Ticket), nextCursor: NextCursor });
/** What a guest asked for, as the floor sees it; `billTotalCents` only on REQUEST_BILL (the floor's, never the kitchen's). */
export const ServiceRequest = named(
  'ServiceRequest',
  z.object({
    requestId: Id,
    type: ServiceRequestType,
    status: z.enum(['OPEN', 'ACKNOWLEDGED']),
    note: z.string().nullable(),
    sessionId: Id,
    tableName: z.string(),
    at: Timestamp,
    billTotalCents: Cents.nullable(),
  }),
);
export const ServiceRequestList = z.object({ requests: z.array(ServiceRequest) });
/** What the guest who asked gets back. */
export const CreatedServiceRequest = z.object({ requestId: Id, type: ServiceRequestType, status: z.literal('OPEN'), at: Timestamp });

/** What a station still has to make, per dish (options folded into the name), across all active tickets. */
export const AllDay = named(
  'AllDay',
  z.object({
    items: z.array(z.object({ itemId: Id, name: z.string(), queued: z.number().int(), inProgress: z.number().int(), held: z.number().int() })),
  }),
);
export const FiredCourse = z.object({ sessionId: Id, firedCourse: Course, firedLines: z.number().int() });

export const AuditEntry = named(
  'AuditEntry',
  z.object({
    entryId: Id,
    restaurantId: Id,
    at: Timestamp,
    action: z.string(),
    outcome: z.enum(['success', 'failure', 'blocked']),
    status: z.number().int(),
    code: z.string().nullable(),
    actor: z.object({ kind: z.enum(['staff', 'guest', 'anonymous']), id: z.string().nullable(), role: z.string().nullable() }),
    subject: z.record(z.string(), z.string()),
    sourceIp: z.string(),
    requestId: z.string(),
  }),
);
export const AuditPage = z.object({ entries: z.array(AuditEntry), nextCursor: NextCursor });

/** The OpenAPI document itself; OpenAPI 3.1 describes its full shape. */
export const OpenApiDocument = z.looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }) });

/** The error body of every failure, REST and gateway alike. */
export const ErrorBody = named(
  'ErrorBody',
  z.object({
    error: z.object({ code: z.string(), message: z.string(), requestId: z.string(), details: z.record(z.string(), z.unknown()) }),
  }),
);
