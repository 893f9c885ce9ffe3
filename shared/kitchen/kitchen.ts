import type * as z from 'zod';
import type { StaffPrincipal } from '../auth/principal';
import { getOrder, getOrderRef, queryActiveOrders, queryAllActiveOrders, writeOrderLines } from '../db/orders';
import type { Order, OrderLine } from '../db/orders';
import { activeOrdersIndex } from '../db/keys';
import { ConflictError, NotFoundError } from '../errors';
import { assertMayMoveLine } from '../auth/permissions';
import { Gsi2Key, decodeCursor, encodeCursor } from '../db/cursor';
import { canMove, deriveOrderStatus } from './line-status';
import type { AllDayQuery, BumpBody, LineStatusBody, TicketsQuery } from '../contract/requests';
import type { AllDay } from '../contract/responses';
import type { LineStatus } from '../contract/fields';
import { toKitchenLine, toTicket } from './ticket';
import type { KitchenLine, Ticket } from './ticket';

/** The station a kitchen request is about: the one asked for, else a KITCHEN account's own, else all. */
const stationFor = (actor: StaffPrincipal, asked: string | undefined): string | null => asked ?? (actor.role === 'KITCHEN' ? actor.station : null);

/** `GET …/kitchen/tickets`: a KITCHEN account bound to a station sees that station unless it asks for another. */
export function listTicketsFor(actor: StaffPrincipal, query: z.infer<typeof TicketsQuery>) {
  return listTickets(actor.restaurantId, stationFor(actor, query.station), query);
}

/**
 * Active tickets, oldest first, from the active-orders index (finished orders are not in it), with
 * only `station`'s lines when one is given.
 */
export async function listTickets(
  restaurantId: string,
  station: string | null,
  page: { limit: number; cursor?: string },
): Promise<{ tickets: Ticket[]; nextCursor: string | null }> {
  const startAfter = page.cursor
    ? decodeCursor(page.cursor, Gsi2Key, (key) => key.gsi2pk === activeOrdersIndex.pk(restaurantId))
    : undefined;
  const result = await queryActiveOrders(restaurantId, page.limit, startAfter);
  return {
    tickets: result.orders.map((order) => toTicket(order, station)).filter((ticket): ticket is Ticket => ticket !== undefined),
    nextCursor: result.next ? encodeCursor(result.next) : null,
  };
}

const MAX_ATTEMPTS = 8;

/**
 * Reads the order, lets `decide` say what its lines become, and writes them with the derived status
 * on condition that the order is unchanged; a concurrent change to any of its lines makes it read
 * and decide again, so racing screens get one success each for what is still possible.
 */
async function changeOrder<T>(actor: StaffPrincipal, orderId: string, decide: (order: Order) => { lines: OrderLine[]; result: T }): Promise<T> {
  const ref = await getOrderRef(orderId);
  if (!ref || ref.restaurantId !== actor.restaurantId) throw new NotFoundError();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const order = await getOrder(ref.sessionId, orderId);
    if (!order) throw new NotFoundError();
    const { lines, result } = decide(order);
    if (lines === order.lines || (await writeOrderLines(order, lines, deriveOrderStatus(lines)))) return result;
  }
  throw new ConflictError('ORDER_BUSY', 'The order is changing too fast. Try again.');
}

/** Where a bump may take a line from: forward along the machine, never a held (unfired) or finished one. */
const BUMPS_FROM: Record<z.infer<typeof BumpBody>['to'], readonly LineStatus[]> = {
  READY: ['QUEUED', 'IN_PROGRESS'],
  SERVED: ['QUEUED', 'IN_PROGRESS', 'READY'],
};

/**
 * `POST …/kitchen/orders/{orderId}/bump {to, station?}`: every line of the ticket (of that station)
 * that is still before `to` goes there, in one conditional write. Two screens bumping at once: the
 * second finds nothing left to move and gets the ticket as it now is. WAITER may only bump to SERVED.
 */
export async function bumpTicket(actor: StaffPrincipal, orderId: string, body: z.infer<typeof BumpBody>, now: Date): Promise<Ticket> {
  assertMayMoveLine(actor, body.to);
  const station = stationFor(actor, body.station);
  return changeOrder(actor, orderId, (order) => {
    const moves = (line: OrderLine) => (!station || line.station === station) && BUMPS_FROM[body.to].includes(line.status);
    const lines = order.lines.some(moves) ? order.lines.map((line) => (moves(line) ? { ...line, status: body.to, updatedAt: now.toISOString() } : line)) : order.lines;
    const ticket = toTicket({ ...order, lines, status: deriveOrderStatus(lines) }, station);
    if (!ticket) throw new NotFoundError(`Order ${order.number} has nothing for ${station}.`);
    return { lines, result: ticket };
  });
}

/**
 * `GET …/kitchen/all-day?station=`: how many of each dish the station still has to make, across all
 * active tickets (one Query, paged through). A dish with options counts apart from the plain one:
 * "Burger — no bun, bacon".
 */
export async function allDayCounts(actor: StaffPrincipal, query: z.infer<typeof AllDayQuery>): Promise<z.infer<typeof AllDay>> {
  const station = stationFor(actor, query.station);
  const counts = new Map<string, z.infer<typeof AllDay>['items'][number]>();
  const field: Partial<Record<LineStatus, 'queued' | 'inProgress' | 'held'>> = { QUEUED: 'queued', IN_PROGRESS: 'inProgress', HELD: 'held' };
  for (const order of await queryAllActiveOrders(actor.restaurantId)) {
    for (const line of order.lines) {
      const counted = field[line.status];
      if (!counted || (station && line.station !== station)) continue;
      const base = line.kitchenName ?? line.name;
      const name = line.options.length ? `${base} — ${line.options.map((option) => option.name).join(', ')}` : base;
      const key = `${line.itemId}\n${name}`;
      const entry = counts.get(key) ?? { itemId: line.itemId, name, queued: 0, inProgress: 0, held: 0 };
      entry[counted] += line.quantity;
      counts.set(key, entry);
    }
  }
  return { items: [...counts.values()].sort((a, b) => b.queued + b.inProgress - (a.queued + a.inProgress) || a.name.localeCompare(b.name)) };
}

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
  return changeOrder(actor, orderId, (order) => {
    const line = order.lines.find((candidate) => candidate.lineId === lineId);
    if (!line) throw new NotFoundError();
    if (!canMove(line.status, to)) {
      throw new ConflictError('INVALID_TRANSITION', `A line cannot go from ${line.status} to ${to}.`, { from: line.status, to });
    }
    // Firing a held line by hand is firing it: it is due from now.
    const changed = { ...line, status: to, updatedAt: now.toISOString(), ...(line.status === 'HELD' && to === 'QUEUED' ? { firedAt: now.toISOString() } : {}) };
    return { lines: order.lines.map((other) => (other === line ? changed : other)), result: toKitchenLine(changed) };
  });
}
