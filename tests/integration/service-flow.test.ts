import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../lib/local/lambda-context';
import { addLine } from '../../shared/cart/cart';
import { CreateMenuItemBody } from '../../shared/contract/requests';
import { getOrder } from '../../shared/db/orders';
import { fireCourse } from '../../shared/kitchen/courses';
import { allDayCounts, bumpTicket, changeLineStatus, listTickets } from '../../shared/kitchen/kitchen';
import { createMenuItem } from '../../shared/menu/menu';
import { createOrderPlacer } from '../../shared/orders/place-order';
import { updateRestaurant } from '../../shared/restaurants/restaurants';
import { requestService } from '../../shared/sessions/service-requests';
import { diningTable, newKey } from '../support/dining';

const placeOrder = createOrderPlacer();

/** A coursing restaurant's table with a guest, and a way to order dishes (each `[itemId, quantity]`). */
async function coursedTable() {
  const table = await diningTable();
  await updateRestaurant(table.owner, { coursing: true });
  const now = new Date();
  const main = await createMenuItem(table.owner, CreateMenuItemBody.parse({ name: 'Lamb', category: 'Mains', priceCents: 2400, station: 'GRILL', course: 2 }), now);
  const dessert = await createMenuItem(table.owner, CreateMenuItemBody.parse({ name: 'Tart', category: 'Desserts', priceCents: 900, station: 'COLD', course: 3 }), now);
  const phone = await table.guest();
  async function order(dishes: [string, number][]) {
    let version = 0;
    for (const [itemId, quantity] of dishes) version = (await addLine(phone, { itemId, quantity }, new Date())).version;
    return (await placeOrder(phone, { idempotencyKey: newKey(), cartVersion: version }, lambdaContext('t', 'r'))).order;
  }
  return { ...table, main, dessert, phone, order };
}

describe('courses (DynamoDB Local)', () => {
  it('loses neither change when the floor fires a course while a cook cancels one of its held lines', async () => {
    const { owner, session, order } = await coursedTable();
    // Each round a later course (2 to 9), so that its lines are still held: the session remembers what it fired.
    for (let course = 2; course <= 9; course++) {
      const dish = await createMenuItem(owner, CreateMenuItemBody.parse({ name: `Course ${course}`, category: 'Mains', priceCents: 1000, station: 'GRILL', course }), new Date());
      const placed = await order([[dish.itemId, 1], [dish.itemId, 2]]);
      const [cancelled, kept] = placed.lines;
      expect(placed.lines.map((line) => line.status)).toEqual(['HELD', 'HELD']);
      const [fired, cancel] = await Promise.allSettled([
        fireCourse(owner, session.sessionId, course, new Date()),
        changeLineStatus(owner, placed.orderId, cancelled?.lineId as string, 'CANCELLED', new Date()),
      ]);
      expect(fired.status).toBe('fulfilled');
      // HELD → CANCELLED or, after the firing, QUEUED → CANCELLED: either way the cancel holds, and the other line was fired.
      expect(cancel.status).toBe('fulfilled');
      const after = await getOrder(session.sessionId, placed.orderId);
      expect(after?.lines.map((line) => line.status)).toEqual(['CANCELLED', 'QUEUED']);
      expect(after?.lines.find((line) => line.lineId === kept?.lineId)?.firedAt).toEqual(expect.any(String));
      expect(after?.revision).toBe(2);
    }
  });
});

describe('bumping (DynamoDB Local)', () => {
  it('races a single-line move without losing either: both apply, in one order or the other', async () => {
    const { owner, session, burger, fries, order } = await coursedTable();
    for (let round = 0; round < 8; round++) {
      const placed = await order([[burger.itemId, 1], [fries.itemId, 1]]);
      const [grilled] = placed.lines;
      const [bump, move] = await Promise.allSettled([
        bumpTicket(owner, placed.orderId, { to: 'READY' }, new Date()),
        changeLineStatus(owner, placed.orderId, grilled?.lineId as string, 'IN_PROGRESS', new Date()),
      ]);
      expect([bump.status, move.status]).toEqual(['fulfilled', 'fulfilled']);
      const after = await getOrder(session.sessionId, placed.orderId);
      // Bump first: the cook's move is a recall (READY → IN_PROGRESS). Move first: the bump takes it on to READY.
      expect(['IN_PROGRESS READY', 'READY READY']).toContain(after?.lines.map((line) => line.status).join(' '));
      expect(after?.revision).toBe(2);
    }
  });
});

describe('all-day counts (DynamoDB Local)', () => {
  it('equal a brute-force count over every active ticket, held lines apart', async () => {
    const { owner, restaurantId, burger, fries, main, dessert, order } = await coursedTable();
    await order([[burger.itemId, 2], [main.itemId, 1]]);
    const second = await order([[burger.itemId, 1], [fries.itemId, 3], [dessert.itemId, 2]]);
    await changeLineStatus(owner, second.orderId, second.lines[0]?.lineId as string, 'IN_PROGRESS', new Date());
    await order([[fries.itemId, 1]]);

    const { items } = await allDayCounts(owner, {});
    const brute = new Map<string, { queued: number; inProgress: number; held: number }>();
    for (const ticket of (await listTickets(restaurantId, null, { limit: 100 })).tickets) {
      for (const line of ticket.lines) {
        const entry = brute.get(line.name) ?? { queued: 0, inProgress: 0, held: 0 };
        if (line.status === 'QUEUED') entry.queued += line.quantity;
        if (line.status === 'IN_PROGRESS') entry.inProgress += line.quantity;
        if (line.status === 'HELD') entry.held += line.quantity;
        brute.set(line.name, entry);
      }
    }
    expect(Object.fromEntries(items.map(({ name, queued, inProgress, held }) => [name, { queued, inProgress, held }]))).toEqual(Object.fromEntries(brute));
    expect(Object.fromEntries(brute)).toMatchObject({ Burger: { queued: 2, inProgress: 1 }, Fries: { queued: 4 }, Lamb: { held: 1 }, Tart: { held: 2 } });
    expect((await allDayCounts(owner, { station: 'FRYER' })).items.map((item) => item.name)).toEqual(['Fries']);
  });
});

describe('service requests (DynamoDB Local)', () => {
  it('keep one open request per type, however many phones ask at once', async () => {
    const { guest } = await diningTable();
    const phones = await Promise.all(Array.from({ length: 10 }, () => guest()));
    const calls = await Promise.allSettled(phones.map((phone) => requestService(phone, { type: 'CALL_WAITER' }, new Date())));
    expect(calls.filter((call) => call.status === 'fulfilled')).toHaveLength(1);
    expect(calls.filter((call) => call.status === 'rejected').map((call) => (call.reason as { code: string }).code)).toEqual(Array(9).fill('REQUEST_ALREADY_OPEN'));
    // The other type is a request of its own.
    await expect(requestService(phones[0] as (typeof phones)[number], { type: 'REQUEST_BILL' }, new Date())).resolves.toMatchObject({ status: 'OPEN' });
  });
});
