import type { StaffPrincipal } from '../auth/principal';
import { listSessionOrders, orderLinesUpdate } from '../db/orders';
import type { Order } from '../db/orders';
import { fireCourseItem, getSession } from '../db/sessions';
import { TransactionCancelledError, transactWrite } from '../db/transact';
import { ConflictError, NotFoundError } from '../errors';
import { logger } from '../observability/logger';
import { isSessionLive } from '../core';
import { deriveOrderStatus } from './line-status';

/** Courses 0 (drinks, served at once) and 1 (the first course) are fired when the order is placed. */
export const FIRED_AT_PLACEMENT = 1;

/** TransactWriteItems takes 100 actions: the session and up to 99 orders with held lines. */
const MAX_ORDERS_PER_FIRING = 99;
const MAX_ATTEMPTS = 5;

/** The orders whose held lines of `course` or earlier become QUEUED now, with their new lines. */
function firings(orders: Order[], course: number, now: Date) {
  const at = now.toISOString();
  return orders.flatMap((order) => {
    if (!order.lines.some((line) => line.status === 'HELD' && line.course <= course)) return [];
    const lines = order.lines.map((line) => (line.status === 'HELD' && line.course <= course ? { ...line, status: 'QUEUED' as const, firedAt: at, updatedAt: at } : line));
    return [{ order, lines }];
  });
}

/**
 * `POST …/sessions/{id}/fire {course}`: every HELD line of that course and earlier, in every order
 * of the session, becomes QUEUED with `firedAt` now, and the session remembers the course, so later
 * orders send it straight to the kitchen. One TransactWriteItems: the session and one write per
 * order that has such lines, each conditioned on the order's revision; a cook moving a held line
 * meanwhile makes it re-read and decide again. The kitchen hears `ticket.updated` through the stream.
 */
export async function fireCourse(actor: StaffPrincipal, sessionId: string, course: number, now: Date) {
  const session = await getSession(sessionId);
  if (!session || session.restaurantId !== actor.restaurantId) throw new NotFoundError();
  if (!isSessionLive(session, now)) throw new ConflictError('SESSION_NOT_OPEN', 'This session is closed.');
  let firedCourse = session.firedCourse;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const fired = firings(await listSessionOrders(sessionId), course, now);
    if (fired.length > MAX_ORDERS_PER_FIRING) throw new ConflictError('TOO_MANY_ORDERS', `Fire at most ${MAX_ORDERS_PER_FIRING} orders' courses at once.`);
    const writes = fired.map(({ order, lines }) => orderLinesUpdate(order, lines, deriveOrderStatus(lines)));
    const raisesCourse = course > firedCourse;
    const result = (firedLines: number) => ({ sessionId, firedCourse: Math.max(course, firedCourse), firedLines });
    if (writes.length === 0 && !raisesCourse) return result(0);
    try {
      await transactWrite([...(raisesCourse ? [fireCourseItem(sessionId, course, now)] : []), ...writes]);
      const firedLines = fired.reduce((sum, { order, lines }) => sum + lines.filter((line, i) => line.status !== order.lines[i]?.status).length, 0);
      logger.info('course fired', { restaurantId: actor.restaurantId, sessionId, course, orders: fired.length, firedLines, by: actor.staffId });
      return result(firedLines);
    } catch (error) {
      if (!(error instanceof TransactionCancelledError) || error.unexplained) throw error;
      if (error.failed('sessionLive')) {
        // Closed meanwhile, or another firing raised the course: which one, the session says.
        const latest = await getSession(sessionId);
        if (!latest || !isSessionLive(latest, now)) throw new ConflictError('SESSION_NOT_OPEN', 'This session is closed.');
        firedCourse = latest.firedCourse;
      }
      // An order changed (a cook moved or cancelled a line) or another firing won: read again and decide again.
    }
  }
  throw new ConflictError('ORDER_BUSY', 'The orders are changing too fast. Try again.');
}
