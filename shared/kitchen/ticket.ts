import type * as z from 'zod';
import type { Order, OrderLine } from '../db/orders';
import type { KitchenLine as KitchenLineSchema, Ticket as TicketSchema } from '../contract/responses';

export type KitchenLine = z.infer<typeof KitchenLineSchema>;
export type Ticket = z.infer<typeof TicketSchema>;

/** A kitchen line: what to cook, as the kitchen calls it, and how far it is. No price, total or amount, by construction. */
export function toKitchenLine(line: OrderLine): KitchenLine {
  return {
    lineId: line.lineId,
    name: line.kitchenName ?? line.name,
    quantity: line.quantity,
    notes: line.notes,
    allergens: line.allergens,
    station: line.station,
    status: line.status,
    updatedAt: line.updatedAt,
    options: line.options.map(({ groupName, name }) => ({ groupName, name })),
    course: line.course,
  };
}

/** When the slowest live line should be ready: placement plus its prep time (null when no line has one). */
function dueAt(order: Order, lines: OrderLine[]): string | null {
  const prep = lines.filter((line) => line.status !== 'CANCELLED' && line.prepMinutes !== null).map((line) => line.prepMinutes as number);
  return prep.length === 0 ? null : new Date(Date.parse(order.placedAt) + Math.max(...prep) * 60_000).toISOString();
}

/**
 * The one price-free projection of an order for kitchen screens, used by the REST tickets list and
 * by the real-time fan-out. With a station, only that station's lines; undefined when none remain.
 */
export function toTicket(order: Order, station?: string | null): Ticket | undefined {
  const lines = order.lines.filter((line) => !station || line.station === station);
  if (lines.length === 0) return undefined;
  return {
    orderId: order.orderId,
    number: order.number,
    tableName: order.tableName,
    placedAt: order.placedAt,
    status: order.status,
    dueAt: dueAt(order, lines),
    lines: lines.map(toKitchenLine),
  };
}
