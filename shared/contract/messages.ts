import type * as z from 'zod';
import type { LineStatus, OrderStatus, ServiceRequestType } from './fields';
import type { Cart, GuestSession, Order, ServiceRequest, Ticket } from './responses';

/**
 * What every WebSocket message carries, by type and by audience. The fan-out and the socket routes
 * build their messages through these types and the web apps read them with the same types, so the
 * two cannot drift (the REST side has the OpenAPI document for that).
 */

/** A message too large for one frame arrives as its ids only; the client sends `sync` for the rest. */
type Truncated<Ids> = { truncated: true } & Ids;

/** What a guest's socket receives. */
export interface GuestMessageData {
  'cart.updated': { cart: z.infer<typeof Cart> } | Truncated<{ version: number }>;
  'order.placed': { order: z.infer<typeof Order> } | Truncated<{ orderId: string }>;
  'order.updated': { orderId: string; status: OrderStatus; lines: { lineId: string; status: LineStatus }[] } | Truncated<{ orderId: string }>;
  'session.closed': { sessionId: string };
  'menu.item.updated': { itemId: string; available: boolean };
  'join.requested': { joinRequestId: string; guestName: string | null; at: string };
  'service.acknowledged': { requestId: string; type: z.infer<typeof ServiceRequestType> };
  'guest.removed': { guestId: string };
  snapshot: { session: z.infer<typeof GuestSession>; cart: z.infer<typeof Cart>; orders: z.infer<typeof Order>[] } | { truncated: true };
}

/** What a staff screen's socket receives: the kitchen's (price-free) and the floor's events. */
export interface StaffMessageData {
  'ticket.created': { ticket: z.infer<typeof Ticket> } | Truncated<{ orderId: string }>;
  'ticket.updated': { ticket: z.infer<typeof Ticket> } | Truncated<{ orderId: string }>;
  'ticket.ready': { orderId: string; number: number; tableName: string | null; sessionId: string };
  'service.requested': { request: z.infer<typeof ServiceRequest> };
  'service.acknowledged': { request: z.infer<typeof ServiceRequest> };
  'join.requested': { joinRequestId: string; sessionId: string; tableName: string | null; guestName: string | null };
  'session.guarded': { sessionId: string; tableName: string | null };
  subscribed: { station: string | null };
  snapshot: { tickets: z.infer<typeof Ticket>[]; serviceRequests?: z.infer<typeof ServiceRequest>[]; truncated?: true };
}

/** Answers any socket gets. */
export interface CommonMessageData {
  pong: Record<string, never>;
  error: { code: string; message: string };
}

/** One message of a map above: `{type, id, at, data}`, discriminated by `type`. `id` is unique per event (delivery is at least once). */
export type MessageOf<Data> = { [K in keyof Data]: { type: K; id: string; at: string; data: Data[K] } }[keyof Data];

export type GuestMessage = MessageOf<GuestMessageData & CommonMessageData>;
export type StaffMessage = MessageOf<StaffMessageData & CommonMessageData>;
