import type { OrderLine } from '../db/orders';
import type { LineStatus, OrderStatus } from '../contract/fields';

/** The line state machine: forward through the kitchen, READY back to IN_PROGRESS (recall), cancel until served. */
const NEXT: Record<LineStatus, readonly LineStatus[]> = {
  HELD: ['QUEUED', 'CANCELLED'],
  QUEUED: ['IN_PROGRESS', 'CANCELLED'],
  IN_PROGRESS: ['READY', 'CANCELLED'],
  READY: ['SERVED', 'IN_PROGRESS', 'CANCELLED'],
  SERVED: [],
  CANCELLED: [],
};

export const canMove = (from: LineStatus, to: LineStatus): boolean => NEXT[from].includes(to);

/**
 * The order's status follows its lines: CANCELLED when every line is, else judged on the live
 * (not cancelled) lines: PLACED all queued or held, SERVED all served, READY all ready or served, else IN_PROGRESS.
 */
export function deriveOrderStatus(lines: Pick<OrderLine, 'status'>[]): OrderStatus {
  const live = lines.filter((line) => line.status !== 'CANCELLED');
  if (live.length === 0) return 'CANCELLED';
  if (live.every((line) => line.status === 'QUEUED' || line.status === 'HELD')) return 'PLACED';
  if (live.every((line) => line.status === 'SERVED')) return 'SERVED';
  if (live.every((line) => line.status === 'READY' || line.status === 'SERVED')) return 'READY';
  return 'IN_PROGRESS';
}
