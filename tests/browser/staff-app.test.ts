import AxeBuilder from '@axe-core/playwright';
import type { Page, WebSocketRoute } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLOW, addDish, join, ordersText, seated, startWebStack } from './support/web-stack';
import type { WebStack } from './support/web-stack';

/** The staff app in a real Chromium against the local stack: the grill's screen, the waiter's floor, and a guest's phone between them. */
let stack: WebStack;
beforeAll(async () => {
  stack = await startWebStack();
});
afterAll(async () => stack?.close());

const SCREENSHOTS = fileURLToPath(new URL('../../web/screenshots/', import.meta.url));
const ticketsOn = (screen: Page) => screen.getByRole('list', { name: 'Tickets' }).locator(':scope > li');
const allDayOn = (screen: Page) => screen.getByRole('complementary', { name: 'All day' }).innerText();
const needsYou = (screen: Page) => screen.getByRole('region', { name: 'Needs you' }).innerText();
async function seriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** A table with a guest at it, a grill cook's screen and a waiter's floor, all signed in through the app. */
async function service() {
  const table = await stack.restaurantWithTable();
  const [cook, waiter] = await Promise.all([stack.hire(table.restaurant, 'KITCHEN', 'GRILL'), stack.hire(table.restaurant, 'WAITER')]);
  const grill = await stack.staffScreen(table.restaurant.restaurantId, cook);
  const floor = await stack.staffScreen(table.restaurant.restaurantId, waiter, { viewport: { width: 820, height: 1180 } });
  const phone = await stack.phone(table.tableCode);
  await join(phone, table.pin, 'Ada');
  await seated(phone);
  for (const screen of [grill, floor]) await expect.poll(() => screen.getByText(/^Offline/).count(), SLOW).toBe(0);
  return { ...table, grill, floor, phone };
}

describe('the staff app', () => {
  it('shows the grill a guest\'s order within a second, with options and no price; a bump tells the guest and the floor; the waiter serves it', async () => {
    const { restaurant, grill, floor, phone } = await service();
    // The all-day counts come from the tickets the screen holds: no request per message.
    const allDayRequests: string[] = [];
    grill.on('request', (request) => void (request.url().includes('/kitchen/all-day') && allDayRequests.push(request.url())));
    expect(await grill.getByLabel('Station').inputValue()).toBe('GRILL');
    await addDish(phone, 'Burger', ['Medium', 'Cheese']);
    await phone.getByRole('button', { name: 'Place order' }).click();
    await expect.poll(() => phone.getByRole('status').allInnerTexts(), SLOW).toContainEqual(expect.stringMatching(/Order \d+ is with the kitchen/));
    const confirmed = Date.now();
    await expect.poll(() => ticketsOn(grill).count(), { timeout: 1000, interval: 50 }).toBe(1);
    expect(Date.now() - confirmed).toBeLessThan(1000);
    const ticket = await ticketsOn(grill).first().innerText();
    expect(ticket).toContain('1 × Burger');
    expect(ticket).toContain('Medium, Cheese');
    expect(ticket).toContain('Window');
    expect(ticket).not.toMatch(/€|\d+[.,]\d{2}\b/);
    expect(await allDayOn(grill)).toMatch(/Burger — Medium, Cheese\s+1/);
    expect(await seriousViolations(grill)).toEqual([]);
    // A new ticket flashes the board for a moment; the README's picture is of the board after it.
    await expect.poll(() => grill.locator('.kitchen.flash').count(), SLOW).toBe(0);
    await grill.screenshot({ path: `${SCREENSHOTS}staff-kitchen.png` });

    const number = /#(\d+)/.exec(ticket)?.[1] as string;
    // A tap moves the line on; the guest's phone follows.
    await ticketsOn(grill).first().getByRole('button', { name: /1 × Burger/ }).click();
    await expect.poll(() => ticketsOn(grill).first().innerText(), SLOW).toMatch(/1 × Burger[\s\S]*in progress/);
    await expect.poll(() => ordersText(phone), SLOW).toMatch(/1 × Burger[\s\S]*preparing/);
    // Bumped by mistake and recalled: back on the board, then bumped for good.
    await grill.getByRole('button', { name: `Bump #${number}` }).click();
    await expect.poll(() => ticketsOn(grill).count(), SLOW).toBe(0);
    await grill.getByRole('button', { name: 'Recall last bumped' }).click();
    await expect.poll(() => ticketsOn(grill).count(), SLOW).toBe(1);
    await grill.getByRole('button', { name: `Bump #${number}` }).click();
    await expect.poll(() => ticketsOn(grill).count(), SLOW).toBe(0);
    await expect.poll(() => ordersText(phone), SLOW).toMatch(/1 × Burger[\s\S]*ready/);
    expect(await allDayOn(grill)).not.toContain('Burger');
    expect(allDayRequests).toEqual([]);
    await expect.poll(() => needsYou(floor), SLOW).toContain(`Food is up: #${number} for Window`);
    expect(await seriousViolations(floor)).toEqual([]);
    await floor.screenshot({ path: `${SCREENSHOTS}staff-floor.png` });
    // A floor screen opened after the food went up (a reload, a colleague's tablet) shows it too, from its sync.
    const colleague = await stack.staffScreen(restaurant.restaurantId, await stack.hire(restaurant, 'WAITER'), { viewport: { width: 820, height: 1180 } });
    await expect.poll(() => needsYou(colleague), SLOW).toContain(`Food is up: #${number} for Window`);
    await floor.getByRole('button', { name: `Served #${number}` }).click();
    await expect.poll(() => ordersText(phone), SLOW).toMatch(/1 × Burger[\s\S]*served/);
    await expect.poll(() => needsYou(floor), SLOW).not.toContain('Food is up');
    // Served by one waiter: gone from the other's screen too.
    await expect.poll(() => needsYou(colleague), SLOW).not.toContain('Food is up');
  }, 60_000);

  it('sends a screen whose account was deleted back to the sign-in, and keeps its device token for the next sign-in', async () => {
    const table = await stack.restaurantWithTable();
    const cook = await stack.hire(table.restaurant, 'KITCHEN');
    const grill = await stack.staffScreen(table.restaurant.restaurantId, cook);
    expect(await seriousViolations(grill)).toEqual([]);
    await stack.api('DELETE', `/v1/restaurants/${table.restaurant.restaurantId}/staff/${cook.staffId}`, { token: table.restaurant.ownerToken });
    await expect.poll(() => grill.getByRole('button', { name: 'Sign in' }).count(), SLOW).toBe(1);
    expect(await seriousViolations(grill)).toEqual([]);
    expect(await grill.evaluate(() => Object.keys(localStorage).some((key) => key.startsWith('device:')))).toBe(true);
  });

  it('rings the floor when a guest calls the waiter, and the waiter\'s tap reaches the guest', async () => {
    const { floor, phone } = await service();
    await phone.getByRole('button', { name: 'Call waiter' }).click();
    await expect.poll(() => needsYou(floor), SLOW).toContain('Window: calling');
    await floor.getByRole('button', { name: 'Acknowledge Window' }).click();
    await expect.poll(() => phone.getByRole('status').allInnerTexts(), SLOW).toContain('Someone is on the way.');
    await expect.poll(() => needsYou(floor), SLOW).toContain('Nothing waiting.');
  });

  it('shows the waiter the session that holds a table another waiter opened meanwhile, and gives it a new PIN', async () => {
    const { restaurant } = await stack.restaurantWithTable();
    const owner = { token: restaurant.ownerToken };
    const terrace = (await stack.api('POST', `/v1/restaurants/${restaurant.restaurantId}/tables`, { ...owner, body: { name: 'Terrace' } })).body;
    const floor = await stack.staffScreen(restaurant.restaurantId, await stack.hire(restaurant, 'WAITER'));
    const row = floor.getByRole('listitem').filter({ hasText: 'Terrace' });
    await expect.poll(() => row.getByRole('button', { name: 'Open (shared)' }).count(), SLOW).toBe(1);
    // A colleague opens it first; this screen still shows it free.
    const theirs = await stack.api('POST', `/v1/restaurants/${restaurant.restaurantId}/tables/${terrace.tableId}/sessions`, { ...owner, body: { mode: 'FAMILY' } });
    expect(theirs.status).toBe(201);
    await row.getByRole('button', { name: 'Open (shared)' }).click();
    await expect.poll(() => floor.getByRole('status').allInnerTexts(), SLOW).toContain('This table already has an open session.');
    await expect.poll(() => row.getByText('PIN hidden').count(), SLOW).toBe(1);
    await row.getByRole('button', { name: 'New PIN' }).click();
    await expect.poll(() => row.getByLabel(/^PIN \d{6}$/).count(), SLOW).toBe(1);
    const pin = (await row.getByLabel(/^PIN \d{6}$/).innerText()).trim();
    const phone = await stack.phone(terrace.tableCode);
    await join(phone, pin, 'Bo');
    await seated(phone);
  });

  it('holds a coursed order\'s main on the grill until the waiter fires it from the table\'s panel, and shows the bill per guest', async () => {
    const { restaurant, grill, floor, phone } = await service();
    const owner = { token: restaurant.ownerToken };
    await stack.api('PATCH', `/v1/restaurants/${restaurant.restaurantId}`, { ...owner, body: { coursing: true } });
    for (const [name, course] of [['Soup', 1], ['Steak', 2]] as const) {
      await stack.api('POST', `/v1/restaurants/${restaurant.restaurantId}/menu/items`, { ...owner, body: { name, category: 'Coursed', priceCents: 900, station: 'GRILL', course } });
    }
    await phone.reload();
    await seated(phone);
    await addDish(phone, 'Soup');
    await addDish(phone, 'Steak');
    await phone.getByRole('button', { name: 'Place order' }).click();
    await expect.poll(() => ticketsOn(grill).count(), SLOW).toBe(1);
    await expect.poll(() => ticketsOn(grill).first().innerText(), SLOW).toMatch(/1 × Steak\s+held · course 2/);
    expect(await ticketsOn(grill).first().innerText()).toMatch(/1 × Soup\s+queued/);
    expect(await allDayOn(grill)).toMatch(/Soup\s+1[\s\S]*Steak\s+0\s*\+1 held/);
    expect(await ordersText(phone)).toMatch(/1 × Steak\s+later/);

    await floor.getByRole('button', { name: 'Show Window' }).click();
    const bill = floor.getByRole('list', { name: 'Bill' });
    await expect.poll(() => bill.innerText(), SLOW).toMatch(/Ada[\s\S]*1 × Soup · €9\.00[\s\S]*1 × Steak · €9\.00[\s\S]*€18\.00/);
    expect(await seriousViolations(floor)).toEqual([]);
    await floor.getByRole('button', { name: 'Fire course 2' }).click();
    await expect.poll(() => ticketsOn(grill).first().innerText(), SLOW).toMatch(/1 × Steak\s+queued/);
    expect(await allDayOn(grill)).toMatch(/Soup\s+1[\s\S]*Steak\s+1/);
    await expect.poll(() => ordersText(phone), SLOW).toMatch(/1 × Steak\s+queued/);
    await expect.poll(() => floor.getByRole('button', { name: /^Fire course/ }).count(), SLOW).toBe(0);
  });

  it('misses nothing and doubles nothing when the kitchen screen loses its socket for 30 s while two orders come in', async () => {
    const table = await stack.restaurantWithTable();
    const cook = await stack.hire(table.restaurant, 'KITCHEN');
    let blocked = false;
    let server: WebSocketRoute | undefined;
    const context = await stack.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    // Every socket of this screen passes through here, so the test can cut it and keep it cut.
    await context.routeWebSocket(/.*/, (socket) => {
      if (blocked) return void socket.close({ code: 1001, reason: 'Going away' });
      server = socket.connectToServer();
    });
    const grill = await context.newPage();
    await grill.goto(`${stack.app.url}/staff/`);
    await grill.getByLabel('Restaurant').fill(table.restaurant.restaurantId);
    await grill.getByLabel('Username').fill(cook.username);
    await grill.getByLabel('Password').fill(cook.password);
    await grill.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => grill.getByText(/^Offline/).count(), SLOW).toBe(0);

    blocked = true;
    await server?.close({ code: 1001, reason: 'Going away' });
    await expect.poll(() => grill.getByRole('alert').allInnerTexts(), SLOW).toContainEqual(expect.stringMatching(/^Offline — last update 00:\d\d ago$/));
    const { token } = (await stack.api('POST', '/v1/sessions/join', { body: { tableCode: table.tableCode, pin: table.pin } })).body;
    const numbers: number[] = [];
    for (const item of [table.items.goulash, table.items.dumplings]) {
      const cart = (await stack.api('POST', '/v1/cart/lines', { token, body: { itemId: item.itemId, quantity: 1 } })).body;
      const order = await stack.api('POST', '/v1/orders', { token, body: { cartVersion: cart.version }, headers: { 'idempotency-key': `kds-${item.itemId}` } });
      numbers.push(order.body.number);
    }
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    expect(await ticketsOn(grill).count()).toBe(0);
    expect((await grill.getByRole('alert').allInnerTexts()).join()).toMatch(/Offline — last update 00:[34]\d ago/);

    blocked = false;
    await expect.poll(() => ticketsOn(grill).count(), { timeout: 15_000 }).toBe(2);
    const labels = await ticketsOn(grill).evaluateAll((items) => items.map((item) => item.getAttribute('aria-label')));
    expect(labels.sort()).toEqual(numbers.map((number) => `Ticket ${number}, Window`).sort());
    await context.close();
  }, 120_000);
});
