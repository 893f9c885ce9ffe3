import type * as z from 'zod';
import type { StaffPrincipal } from '../auth/principal';
import { getOrder, getOrderRef, queryActiveOrders, updateOrderLine } from '../db/orders';
import { activeOrdersIndex } from '../db/keys';
import { ConflictError, NotFoundError } from '../errors';
import { assertMayMoveLine } from '../auth/permissions';
import { Gsi1Key, decodeCursor, encodeCursor } from '../db/cursor';
import { canMove, deriveOrderStatus } from './line-status';
import type { LineStatusBody, TicketsQuery } from '../contract/requests';
import { toKitchenLine, toTicket } from './ticket';
import type { KitchenLine, Ticket } from './ticket';

/** `GET …/kitchen/tickets`: a KITCHEN account bound to a station sees that station unless it asks for another. */
export function listTicketsFor(actor: StaffPrincipal, query: z.infer<typeof TicketsQuery>) {
  const station = query.station ?? (actor.role === 'KITCHEN' ? actor.station : null);
  return listTickets(actor.restaurantId, station, query);
}

/**
 * Active tickets, oldest first, from one Query on the active-orders index (finished orders are not
 * in it), with only `station`'s lines when one is given.
 */
export async function listTickets(
  restaurantId: string,
  station: string | null,
  page: { limit: number; cursor?: string },
): Promise<{ tickets: Ticket[]; nextCursor: string | null }> {
  const startAfter = page.cursor
    ? decodeCursor(page.cursor, Gsi1Key, (key) => key.gsi1pk === activeOrdersIndex.pk(restaurantId))
    : undefined;
  const result = await queryActiveOrders(restaurantId, page.limit, startAfter);
  return {
    tickets: result.orders.map((order) => toTicket(order, station)).filter((ticket): ticket is Ticket => ticket !== undefined),
    nextCursor: result.next ? encodeCursor(result.next) : null,
  };
}

const MAX_ATTEMPTS = 8;

/**
 * Moves one line along the state machine. The write conditions on the order's revision, so two
 * screens racing the same transition get one success and one 409, and the derived order status is
 * always computed from the lines as they are. WAITER may only mark lines SERVED.
 */
export async function changeLineStatus(
  actor: StaffPrincipal,
  orderId: string,
  lineId: string,
  to: z.infer<typeof LineStatusBody>['status'],
  now: Date,
): Promise<KitchenLine> {
  assertMayMoveLine(actor, to);
  const ref = await getOrderRef(orderId);
  if (!ref || ref.restaurantId !== actor.restaurantId) throw new NotFoundError();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const order = await getOrder(ref.sessionId, orderId);
    const index = order?.lines.findIndex((line) => line.lineId === lineId) ?? -1;
    const line = order?.lines[index];
    if (!order || !line) throw new NotFoundError();
    if (!canMove(line.status, to)) {
      throw new ConflictError('INVALID_TRANSITION', `A line cannot go from ${line.status} to ${to}.`, { from: line.status, to });
    }
    const changed = { ...line, status: to, updatedAt: now.toISOString() };
    const lines = order.lines.map((other, i) => (i === index ? changed : other));
    if (await updateOrderLine(order, index, changed, deriveOrderStatus(lines))) return toKitchenLine(changed);
    // Another line (or this one) changed meanwhile: read again and decide again.
  }
  throw new ConflictError('ORDER_BUSY', 'The order is changing too fast. Try again.');
}
