import { readFile } from 'node:fs/promises';
import { listSessionOrders, queryAllActiveOrders } from '../../shared/db/orders';
import type { Order } from '../../shared/db/orders';
import { DEAD_LETTER_FILE } from '../../lib/local/runtime';
import type { BenchSocket, OrdersView } from './clients';

/**
 * The load's end-state checks, against what the table holds (read straight from DynamoDB Local,
 * past the runtime and its faults): every Idempotency-Key made exactly one order, every guest's
 * orders (REST and socket) and every kitchen screen equal the table after `sync`, and every message
 * a socket did not get is accounted for, by the dead-letter list or by the socket's outage (a restart).
 */

/** A difference between what a client heard and the table that the dead-letter list or an outage must explain. */
export interface Gap {
  /** What a dead letter's record key (`pk sk`) must contain to account for it: see orderSubject, cartSubject, serviceRequestSubject. */
  subjects: string[];
  what: string;
  /** The message kind, for a message a socket never got. */
  kind?: string;
  /** The socket was down (and synced after) at or after the change it missed. */
  outage: boolean;
  /** What accounts for it, once `accountForGaps` has looked. */
  explainedBy?: 'dead letter' | 'outage' | 'nothing';
}

export class EndState {
  /** Differences that must not be: each one fails the run. */
  readonly findings: string[] = [];
  readonly gaps: Gap[] = [];
  ordersChecked = 0;
  guestsChecked = 0;
  screensChecked = 0;

  /** A table's orders against the keys its phones placed with: one order per key, no order without one. */
  async checkOrders(sessionId: string, placements: { key: string; orderId: string }[]): Promise<Order[]> {
    const orders = await listSessionOrders(sessionId);
    const placed = new Set(placements.map((p) => p.orderId));
    const keys = new Set(placements.map((p) => p.key));
    const stored = orders.map((order) => order.orderId);
    this.ordersChecked += orders.length;
    if (new Set(stored).size !== stored.length) this.findings.push(`session ${sessionId}: an order is stored twice`);
    if (keys.size !== placed.size) this.findings.push(`session ${sessionId}: ${keys.size} keys answered ${placed.size} different orders`);
    for (const orderId of stored) if (!placed.has(orderId)) this.findings.push(`session ${sessionId}: order ${orderId} is in the table but no key answered it`);
    for (const orderId of placed) if (!stored.includes(orderId)) this.findings.push(`session ${sessionId}: order ${orderId} was answered but is not in the table`);
    return orders;
  }

  /**
   * A guest's phone: what its socket heard must equal its orders in the table (or be a gap to explain),
   * and after `sync` its view and `GET /v1/orders` (`rest`) must equal them.
   */
  async checkGuest(name: string, socket: BenchSocket, orders: Order[], rest: OrdersView): Promise<void> {
    this.guestsChecked++;
    const truth = viewOf(orders);
    this.compareHeard(name, socket, truth);
    if (await this.synced(name, socket)) this.expectEqual(`${name} after sync`, socket.view, truth);
    this.expectEqual(`${name} GET /v1/orders`, rest, truth);
  }

  /** A kitchen screen after the load: every order it heard of as the table has it (or a gap), and after `sync` exactly the active tickets. */
  async checkKitchen(name: string, socket: BenchSocket, restaurantId: string, orders: Order[]): Promise<void> {
    this.screensChecked++;
    this.compareHeard(name, socket, viewOf(orders));
    if (await this.synced(name, socket)) this.expectEqual(`${name} after sync`, socket.view, viewOf(await queryAllActiveOrders(restaurantId)));
  }

  /** Sends `sync`; a snapshot that never comes is a finding, not the end of the run. */
  private async synced(name: string, socket: BenchSocket): Promise<boolean> {
    try {
      await socket.sync();
      return true;
    } catch (error) {
      this.findings.push(`${name}: ${(error as Error).message}`);
      return false;
    }
  }

  /** A message a socket never got. */
  missed(kind: string, subjects: string[], what: string, socket: BenchSocket, writtenAt: number): void {
    this.gaps.push({ kind, subjects, what, outage: socket.outages.some((outage) => outage.to >= writtenAt) });
  }

  /** Marks what explains each gap (the dead-letter list written since `since`, or an outage); an unexplained one is a finding. */
  async accountForGaps(since: Date): Promise<void> {
    const letters = await deadLettersSince(since);
    let unexplained = 0;
    for (const gap of this.gaps) {
      if (gap.outage) gap.explainedBy = 'outage';
      else if (letters.some((key) => gap.subjects.some((subject) => key.includes(subject)))) gap.explainedBy = 'dead letter';
      else {
        gap.explainedBy = 'nothing';
        if (++unexplained <= 20) this.findings.push(`${gap.what}: neither delivered nor dead-lettered`);
      }
    }
    if (unexplained > 20) this.findings.push(`… and ${unexplained - 20} more differences nothing accounts for`);
  }

  /** The gaps of one message kind by what explains them. */
  explained(kind: string, by: Gap['explainedBy']): number {
    return this.gaps.filter((gap) => gap.kind === kind && gap.explainedBy === by).length;
  }

  private compareHeard(name: string, socket: BenchSocket, truth: OrdersView): void {
    for (const [orderId, lines] of truth) {
      if (!sameLines(socket.heard.get(orderId), lines)) {
        this.gaps.push({ subjects: [orderSubject(orderId)], what: `${name}: order ${orderId} as heard ${describe(socket.heard.get(orderId))}, in the table ${describe(lines)}`, outage: socket.outages.length > 0 });
      }
    }
  }

  private expectEqual(what: string, seen: OrdersView, truth: OrdersView): void {
    const ids = new Set([...seen.keys(), ...truth.keys()]);
    for (const orderId of ids) {
      if (!sameLines(seen.get(orderId), truth.get(orderId))) this.findings.push(`${what}: order ${orderId} is ${describe(seen.get(orderId))}, in the table ${describe(truth.get(orderId))}`);
    }
  }
}

export const viewOf = (orders: { orderId: string; lines: { lineId: string; status: string }[] }[]): OrdersView =>
  new Map(orders.map((order) => [order.orderId, new Map(order.lines.map((line) => [line.lineId, line.status]))]));

const describe = (lines: Map<string, string> | undefined) => (lines ? `[${[...lines.values()].join(', ')}]` : 'missing');

function sameLines(a: Map<string, string> | undefined, b: Map<string, string> | undefined): boolean {
  if (!a || !b) return a === b;
  return a.size === b.size && [...a].every(([lineId, status]) => b.get(lineId) === status);
}

/** The records a dead letter of an order's changes names. */
export const orderSubject = (orderId: string) => ` ORDER#${orderId}`;
/** The records a dead letter of a session's carts names. */
export const cartSubject = (sessionId: string) => `SESSION#${sessionId} CART#`;
export const serviceRequestSubject = (requestId: string) => ` SERVICE_REQUEST#${requestId}`;

interface DeadLetter {
  at: string;
  records: { keys?: { pk?: { S?: string }; sk?: { S?: string } } }[];
}

/** The record keys (`pk sk`) in the dead-letter list's entries (one JSON line each) written since `since`. */
async function deadLettersSince(since: Date): Promise<string[]> {
  const text = await readFile(new URL(`../../${DEAD_LETTER_FILE}`, import.meta.url), 'utf8').catch(() => '');
  const letters = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as DeadLetter);
  return letters.filter((letter) => letter.at >= since.toISOString()).flatMap((letter) => letter.records.map((record) => `${record.keys?.pk?.S} ${record.keys?.sk?.S}`));
}
