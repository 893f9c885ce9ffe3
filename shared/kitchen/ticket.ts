import type * as z from 'zod';
import type { Order, OrderLine } from '../db/orders';
import type { KitchenLine as KitchenLineSchema, Ticket as TicketSchema } from '../contract/responses';

export type KitchenLine = z.infer<typeof KitchenLineSchema>;
export type Ticket = z.infer<typeof TicketSchema>;

/** A kitchen line: what to cook and how far it is. No price, total or amount, by construction. */
export function toKitchenLine(line: OrderLine): KitchenLine {
  return {
    lineId: line.lineId,
    name: line.name,
    quantity: line.quantity,
    notes: line.notes,
    allergens: line.allergens,
    station: line.station,
    status: line.status,
    updatedAt: line.updatedAt,
  };
}

/**
 * The one price-free projection of an order for kitchen screens, used by the REST tickets list and
 * by the real-time fan-out. With a station, only that station's lines; undefined when none remain.
 */
export function toTicket(order: Order, station?: string | null): Ticket | undefined {
  const lines = order.lines.filter((line) => !station || line.station === station).map(toKitchenLine);
  if (lines.length === 0) return undefined;
  return { orderId: order.orderId, number: order.number, tableName: order.tableName, placedAt: order.placedAt, status: order.status, lines };
}
