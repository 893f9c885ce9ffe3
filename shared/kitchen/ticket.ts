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
    firedAt: line.firedAt,
  };
}

/**
 * When the slowest fired line should be ready: its firing (placement for lines from before coursing)
 * plus its prep time. Held and cancelled lines do not count; null when no line counts.
 */
function dueAt(order: Order, lines: OrderLine[]): string | null {
  const due = lines
    .filter((line) => line.status !== 'CANCELLED' && line.status !== 'HELD' && line.prepMinutes !== null)
    .map((line) => Date.parse(line.firedAt ?? order.placedAt) + (line.prepMinutes as number) * 60_000);
  return due.length === 0 ? null : new Date(Math.max(...due)).toISOString();
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
