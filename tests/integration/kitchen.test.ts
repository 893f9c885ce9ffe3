import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../lib/local/lambda-context';
import { addLine } from '../../shared/cart/cart';
import { LINE_STATUSES } from '../../shared/contract/fields';
import { changeLineStatus, listTicketsFor } from '../../shared/kitchen/kitchen';
import { createOrderPlacer } from '../../shared/orders/place-order';
import { diningTable, newKey } from '../support/dining';

const placeOrder = createOrderPlacer();

/** How to bring a line from QUEUED to each status along allowed moves. */
const pathTo = {
  QUEUED: [],
  IN_PROGRESS: ['IN_PROGRESS'],
  READY: ['IN_PROGRESS', 'READY'],
  SERVED: ['IN_PROGRESS', 'READY', 'SERVED'],
  CANCELLED: ['CANCELLED'],
} as const;

const allowed = new Set([
  'QUEUED>IN_PROGRESS',
  'QUEUED>CANCELLED',
  'IN_PROGRESS>READY',
  'IN_PROGRESS>CANCELLED',
  'READY>SERVED',
  'READY>IN_PROGRESS',
  'READY>CANCELLED',
]);

describe('line state machine (DynamoDB Local)', () => {
  it('allows exactly the contract transitions among all 30 (from, to) pairs of a line that was never held', async () => {
    const { guest, burger, owner } = await diningTable();
    const phone = await guest();
    // HELD lines exist only with coursing: the course tests move them.
    const pairs = LINE_STATUSES.filter((from) => from !== 'HELD').flatMap((from) => LINE_STATUSES.map((to) => [from, to] as const));
    let cart;
    for (let i = 0; i < pairs.length; i++) cart = await addLine(phone, { itemId: burger.itemId, quantity: 1 }, new Date());
    const { order } = await placeOrder(phone, { idempotencyKey: newKey(), cartVersion: cart?.version ?? 0 }, lambdaContext('t', 'r'));

    const outcomes: string[] = [];
    for (const [i, [from, to]] of pairs.entries()) {
      const lineId = order.lines[i]?.lineId as string;
      for (const step of pathTo[from]) await changeLineStatus(owner, order.orderId, lineId, step, new Date());
      const outcome = await changeLineStatus(owner, order.orderId, lineId, to, new Date()).then(
        (line) => `${line.status}`,
        (error: { code: string; details: unknown }) => `${error.code} ${JSON.stringify(error.details)}`,
      );
      outcomes.push(`${from}>${to}: ${outcome}`);
    }
    expect(outcomes).toEqual(
      pairs.map(([from, to]) =>
        `${from}>${to}: ${allowed.has(`${from}>${to}`) ? to : `INVALID_TRANSITION ${JSON.stringify({ from, to })}`}`,
      ),
    );
  });

  it('keeps the derived status right when screens change different lines at once', async () => {
    const { guest, burger, owner } = await diningTable();
    const phone = await guest();
    let cart;
    for (let i = 0; i < 6; i++) cart = await addLine(phone, { itemId: burger.itemId, quantity: 1 }, new Date());
    const { order } = await placeOrder(phone, { idempotencyKey: newKey(), cartVersion: cart?.version ?? 0 }, lambdaContext('t', 'r'));

    for (const step of ['IN_PROGRESS', 'READY'] as const) {
      await Promise.all(order.lines.map((line) => changeLineStatus(owner, order.orderId, line.lineId, step, new Date())));
    }
    const { tickets } = await listTicketsFor(owner, { limit: 50 });
    const ticket = tickets.find((t) => t.orderId === order.orderId);
    expect(ticket?.status).toBe('READY');
    expect(ticket?.lines.every((line) => line.status === 'READY')).toBe(true);

    await Promise.all(order.lines.map((line) => changeLineStatus(owner, order.orderId, line.lineId, 'SERVED', new Date())));
    expect((await listTicketsFor(owner, { limit: 50 })).tickets.map((t) => t.orderId)).not.toContain(order.orderId);
  });
});
