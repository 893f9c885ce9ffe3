import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLOW, addDish, join, ordersText, seated, startWebStack } from './support/web-stack';
import type { WebStack } from './support/web-stack';

/** `npm start` (or a deployment) restarting in the middle of service: the open apps come back by themselves, nothing missed or doubled. */
let stack: WebStack;
beforeAll(async () => {
  stack = await startWebStack();
});
afterAll(async () => stack?.close());

const BACK = { timeout: 45_000 };
const ticketsOn = (screen: Page) => screen.getByRole('list', { name: 'Tickets' }).locator(':scope > li');

async function placeOrder(phone: Page) {
  await phone.getByRole('button', { name: 'Place order' }).click();
  await expect.poll(() => phone.getByRole('status').allInnerTexts(), SLOW).toContainEqual(expect.stringMatching(/Order \d+ is with the kitchen/));
}

describe('a restart of the runtime during service', () => {
  it('brings the phone and the grill back without a reload: reconnect, sync, every ticket on the board exactly once', async () => {
    const table = await stack.restaurantWithTable();
    const { restaurantId } = table.restaurant;
    const cook = await stack.hire(table.restaurant, 'KITCHEN', 'GRILL');
    const grill = await stack.staffScreen(restaurantId, cook);
    const phone = await stack.phone(table.tableCode);
    await join(phone, table.pin, 'Ada');
    await seated(phone);
    await expect.poll(() => grill.getByText(/^Offline/).count(), SLOW).toBe(0);
    await addDish(phone, 'Goulash');
    await placeOrder(phone);
    await expect.poll(() => ticketsOn(grill).count(), SLOW).toBe(1);

    await stack.restartRuntime(async () => {
      // Nothing answers: both say so, neither forgets what it shows.
      await expect.poll(() => grill.getByText(/^Offline/).count(), SLOW).toBe(1);
      await expect.poll(() => phone.getByText('Reconnecting…').count(), SLOW).toBe(1);
      expect(await ticketsOn(grill).count()).toBe(1);
    });
    await expect.poll(() => grill.getByText(/^Offline/).count(), BACK).toBe(0);
    await expect.poll(() => phone.getByText('Reconnecting…').count(), BACK).toBe(0);

    // The new runtime's sockets carry the next order to the grill; the board is the kitchen's tickets, each once.
    await addDish(phone, 'Burger', ['Well done']);
    await placeOrder(phone);
    await expect.poll(() => ticketsOn(grill).count(), SLOW).toBe(2);
    const tickets = (await stack.api('GET', `/v1/restaurants/${restaurantId}/kitchen/tickets?station=GRILL`, { token: cook.token })).body.tickets as { number: number }[];
    expect(tickets).toHaveLength(2);
    for (const { number } of tickets) expect(await grill.getByRole('button', { name: `Bump #${number}` }).count()).toBe(1);
    const orders = await ordersText(phone);
    expect(orders).toContain('1 × Goulash');
    expect(orders).toContain('1 × Burger');
  }, 120_000);
});
