import type { GuestRef } from '../auth/principal';
import type { Guest } from '../db/sessions';
import { getOrder, listSessionOrders } from '../db/orders';
import type { Order } from '../db/orders';
import { NotFoundError } from '../errors';

/** What guests (and the waiter's bill) see of an order. */
export function toOrderView(order: Order) {
  return {
    orderId: order.orderId,
    number: order.number,
    status: order.status,
    placedAt: order.placedAt,
    placedBy: order.placedBy,
    lines: order.lines.map(({ lineId, itemId, name, quantity, unitPriceCents, notes, options, status, course }) => ({
      lineId,
      itemId,
      name,
      quantity,
      unitPriceCents,
      notes,
      options,
      status,
      course,
    })),
    totalCents: order.totalCents,
  };
}
export type OrderView = ReturnType<typeof toOrderView>;

/** FAMILY guests see the whole table's orders; INDIVIDUAL guests only their own. */
const visibleTo = (guest: GuestRef, order: Order) => guest.mode === 'FAMILY' || order.placedBy === guest.guestId;

export async function listOrders(guest: GuestRef): Promise<OrderView[]> {
  return (await listSessionOrders(guest.sessionId)).filter((order) => visibleTo(guest, order)).map(toOrderView);
}

export async function getOrderForGuest(guest: GuestRef, orderId: string): Promise<OrderView> {
  const order = await getOrder(guest.sessionId, orderId);
  if (!order || !visibleTo(guest, order)) throw new NotFoundError();
  return toOrderView(order);
}

/** What an order costs the table: cancelled lines cost nothing. */
const owed = (order: Order) => order.lines.filter((line) => line.status !== 'CANCELLED').reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);

/** The session's bill: what all its orders cost. */
export async function sessionBillTotal(sessionId: string): Promise<number> {
  return (await listSessionOrders(sessionId)).reduce((sum, order) => sum + owed(order), 0);
}

/** The session's orders and what each guest owes. */
export async function sessionOrdersAndBill(sessionId: string, guests: Guest[]) {
  const orders = await listSessionOrders(sessionId);
  const byGuest = guests.map((guest) => ({
    guestId: guest.guestId,
    guestName: guest.name,
    totalCents: orders.filter((order) => order.placedBy === guest.guestId).reduce((sum, order) => sum + owed(order), 0),
  }));
  return {
    orders: orders.map(toOrderView),
    bill: { totalCents: byGuest.reduce((sum, guest) => sum + guest.totalCents, 0), byGuest },
  };
}
