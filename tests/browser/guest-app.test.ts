import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../e2e/support/http';
import { SLOW, addDish, cartText, join, ordersText, seated, startWebStack } from './support/web-stack';
import type { WebStack } from './support/web-stack';

/** The guest app in a real Chromium (Debian's), against the local stack, as phones at a table use it. */
let stack: WebStack;
beforeAll(async () => {
  stack = await startWebStack();
});
afterAll(async () => stack?.close());

describe('the guest app', () => {
  it('is served as CloudFront serves it: the app for its own paths, config.json, 400 for a broken path, never a file outside', async () => {
    const { app, runtime } = stack;
    expect((await fetch(`${app.url}/t?t=abc`)).headers.get('content-type')).toContain('text/html');
    expect(await (await fetch(`${app.url}/config.json`)).json()).toEqual({ apiUrl: runtime.url, webSocketUrl: runtime.webSocketUrl });
    expect((await fetch(`${app.url}/%E0%A4%A`)).status).toBe(400);
    expect(await (await fetch(`${app.url}/..%2F..%2Fpackage.json`)).text()).not.toContain('"dependencies"');
    expect((await fetch(`${app.url}/t`)).status).toBe(200);
    // The deployed security headers, the policy naming this runtime's APIs: the app must work under them (every test here runs so).
    const page = await fetch(`${app.url}/t?t=abc`);
    expect(page.headers.get('content-security-policy')).toContain(`connect-src 'self' ${new URL(runtime.url).origin} ${new URL(runtime.webSocketUrl).origin}`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self';");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('lets two phones share one FAMILY cart live (options priced by the server), orders once, and both follow the kitchen', async () => {
    const { restaurant, tableCode, pin } = await stack.restaurantWithTable();
    const [ada, bob] = [await stack.phone(tableCode), await stack.phone(tableCode)];
    await expect.poll(() => ada.getByRole('heading', { level: 1 }).innerText(), SLOW).toBe('Browser Bistro · Window');
    await join(ada, pin, 'Ada');
    await join(bob, pin, 'Bob');
    await seated(ada);
    await seated(bob);

    // A dish with a required group: "Add to order" waits for the choice, and the price follows the options.
    await ada.getByRole('button', { name: /^Burger\b/ }).click();
    const dialog = ada.getByRole('dialog', { name: 'Burger' });
    const addButton = dialog.getByRole('button', { name: /^Add to order/ });
    expect(await addButton.isDisabled()).toBe(true);
    await dialog.getByLabel('Medium').check();
    await dialog.getByLabel('Cheese').check();
    await dialog.getByRole('button', { name: 'More Burger' }).click();
    expect(await addButton.isEnabled()).toBe(true);
    expect(await addButton.innerText()).toContain('€27.00');
    await dialog.getByLabel(/Notes for the kitchen/).fill('no onions');
    // The first tap may meet functions still loading their modules (the local runtime compiles them on first use).
    await addButton.click();
    await expect.poll(() => cartText(bob), SLOW).toContain('2 × Burger');
    expect(await cartText(bob)).toMatch(/Medium, Cheese/);
    expect(await cartText(bob)).toContain('added by Ada');
    expect(await cartText(ada)).toContain('added by you');

    // Once warm, a table-mate's change reaches the other phone within a second.
    await addDish(ada, 'Dumplings');
    const added = Date.now();
    await expect.poll(() => cartText(bob), { timeout: 1000, interval: 50 }).toContain('1 × Dumplings');
    expect(Date.now() - added).toBeLessThan(1000);
    expect(await cartText(bob)).toContain('Total €33.50');

    // Quantities change and lines go from either phone.
    await bob.getByRole('button', { name: 'More Dumplings' }).click();
    await expect.poll(() => cartText(ada), SLOW).toContain('2 × Dumplings');
    await bob.getByRole('button', { name: 'Remove Dumplings' }).click();
    await expect.poll(() => cartText(ada), SLOW).not.toContain('Dumplings');

    // Bob places it; a double tap still makes one order.
    await bob.getByRole('button', { name: 'Place order' }).dblclick();
    await expect.poll(() => bob.getByRole('status').allInnerTexts(), SLOW).toContainEqual(expect.stringMatching(/Order \d+ is with the kitchen/));
    await expect.poll(() => ordersText(ada), SLOW).toMatch(/Order \d+\s+placed/);
    const kitchen = (await stack.hire(restaurant, 'KITCHEN')).token;
    const tickets = (await call(stack.runtime.url, 'GET', `/v1/restaurants/${restaurant.restaurantId}/kitchen/tickets`, { token: kitchen })).body.tickets;
    expect(tickets).toHaveLength(1);
    expect(tickets[0].lines).toEqual([
      expect.objectContaining({ name: 'Burger', quantity: 2, notes: 'no onions', options: [{ groupName: 'Doneness', name: 'Medium' }, { groupName: 'Extras', name: 'Cheese' }] }),
    ]);

    // The kitchen starts it: both phones see the line move.
    const [{ orderId, lines }] = tickets;
    await call(stack.runtime.url, 'PATCH', `/v1/restaurants/${restaurant.restaurantId}/kitchen/orders/${orderId}/lines/${lines[0].lineId}`, { token: kitchen, body: { status: 'IN_PROGRESS' } });
    for (const page of [ada, bob]) await expect.poll(() => ordersText(page), SLOW).toMatch(/2 × Burger[\s\S]*preparing/);
    await call(stack.runtime.url, 'PATCH', `/v1/restaurants/${restaurant.restaurantId}/kitchen/orders/${orderId}/lines/${lines[0].lineId}`, { token: kitchen, body: { status: 'READY' } });
    for (const page of [ada, bob]) await expect.poll(() => ordersText(page), SLOW).toMatch(/2 × Burger[\s\S]*ready/);
  });

  it('keeps the guest and the cart across a reload in the middle of everything', async () => {
    const { tableCode, pin } = await stack.restaurantWithTable();
    const page = await stack.phone(tableCode);
    await join(page, pin);
    await seated(page);
    await addDish(page, 'Goulash');
    await expect.poll(() => cartText(page), SLOW).toContain('1 × Goulash');
    const seatKey = `seat:${tableCode}`;
    const before = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) as string) as { guestId: string }, seatKey);
    // Reload with the item dialog open and a choice half made.
    await page.getByRole('button', { name: /^Burger\b/ }).click();
    await page.getByRole('dialog', { name: 'Burger' }).getByLabel('Medium').check();
    await page.reload();
    await seated(page);
    expect(await page.getByLabel('PIN').count()).toBe(0);
    await expect.poll(() => cartText(page), SLOW).toContain('1 × Goulash');
    const after = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) as string) as { guestId: string }, seatKey);
    expect(after.guestId).toBe(before.guestId);
  });

  it('keeps an INDIVIDUAL cart to its guest, and filters the menu by dietary tags and allergens', async () => {
    const { tableCode, pin } = await stack.restaurantWithTable({ mode: 'INDIVIDUAL' });
    const [ada, bob] = [await stack.phone(tableCode), await stack.phone(tableCode)];
    await join(ada, pin, 'Ada');
    await join(bob, pin, 'Bob');
    await seated(ada);
    await seated(bob);
    await addDish(ada, 'Goulash');
    await expect.poll(() => cartText(ada), SLOW).toContain('1 × Goulash');
    expect(await ada.getByRole('heading', { name: 'Your order' }).count()).toBe(1);
    expect(await cartText(ada)).not.toContain('added by');
    await addDish(bob, 'Dumplings');
    await expect.poll(() => cartText(bob), SLOW).toContain('1 × Dumplings');
    expect(await cartText(bob)).not.toContain('Goulash');
    expect(await cartText(ada)).not.toContain('Dumplings');

    const menu = ada.getByRole('region', { name: 'Menu' });
    await menu.getByText('Filters').click();
    await menu.getByRole('group', { name: 'Only' }).getByLabel('vegetarian').check();
    expect(await menu.getByRole('button', { name: /^(Goulash|Dumplings|Burger)\b/ }).allInnerTexts()).toEqual([expect.stringContaining('Dumplings')]);
    await menu.getByRole('group', { name: 'Only' }).getByLabel('vegetarian').uncheck();
    await menu.getByRole('group', { name: 'Without' }).getByLabel('gluten').check();
    const names = (await menu.getByRole('button', { name: /^(Goulash|Dumplings|Burger)\b/ }).allInnerTexts()).map((text) => text.split('\n')[0]);
    expect(names.sort()).toEqual(['Burger', 'Goulash']);
  });

  it('keeps "Add to order" in reach on a small phone while a dish\'s options scroll, and leads from the menu to the cart below it', async () => {
    const { tableCode, pin } = await stack.restaurantWithTable();
    const phone = await stack.phone(tableCode, { viewport: { width: 320, height: 480 } });
    await join(phone, pin);
    await seated(phone);
    await phone.getByRole('button', { name: /^Burger\b/ }).click();
    const dialog = phone.getByRole('dialog', { name: 'Burger' });
    const addButton = dialog.getByRole('button', { name: /^Add to order/ });
    // The dish does not fit: its options scroll inside the dialog.
    expect(await dialog.evaluate((element) => element.scrollHeight > element.clientHeight)).toBe(true);
    // Tappable where it is, without scrolling: on screen, and what a finger at its centre touches.
    const inReach = () =>
      addButton.evaluate((button) => {
        const box = button.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return box.bottom <= window.innerHeight && hit !== null && button.contains(hit);
      });
    expect(await inReach()).toBe(true);
    await dialog.getByLabel('Medium').check();
    await dialog.evaluate((element) => element.scrollTo(0, element.scrollHeight));
    expect(await inReach()).toBe(true);
    expect(await addButton.innerText()).toContain('€12.00');
    await addButton.click();
    await expect.poll(() => cartText(phone), SLOW).toContain('1 × Burger');

    // The cart is below the menu, off this screen: a bar at the foot says what it holds and leads there.
    await phone.evaluate(() => window.scrollTo(0, 0));
    const bar = phone.getByRole('button', { name: /^View order/ });
    expect(await bar.innerText()).toBe('View order · 1 item · €12.00');
    await bar.click();
    const heading = phone.getByRole('heading', { name: 'Table order' });
    await expect.poll(() => heading.evaluate((element) => element.getBoundingClientRect().top >= 0 && element.getBoundingClientRect().bottom <= window.innerHeight), SLOW).toBe(true);
    expect(await heading.evaluate((element) => element === document.activeElement)).toBe(true);
    await expect.poll(() => bar.count(), SLOW).toBe(0);
  });

  it('shows an 86 live, calls the waiter with the acknowledgement shown, and comes back as the same guest when the token stopped working', async () => {
    const { restaurant, tableCode, pin, items } = await stack.restaurantWithTable();
    const page = await stack.phone(tableCode);
    await join(page, pin);
    await seated(page);

    await stack.api('PATCH', `/v1/restaurants/${restaurant.restaurantId}/menu/items/${items.goulash.itemId}`, { token: restaurant.ownerToken, body: { available: false } });
    await expect.poll(() => page.getByRole('button', { name: /^Goulash\b/ }).isDisabled(), SLOW).toBe(true);
    expect(await page.getByRole('button', { name: /^Goulash\b/ }).innerText()).toContain('Sold out');

    await page.getByRole('button', { name: 'Call waiter' }).click();
    await expect.poll(() => page.getByRole('status').allInnerTexts(), SLOW).toContain('The staff know you are calling.');
    await page.getByRole('button', { name: 'Call waiter' }).click();
    await expect.poll(() => page.getByRole('alert').allInnerTexts(), SLOW).toContain('The staff already know. Someone will come.');
    const waiter = (await stack.hire(restaurant, 'WAITER')).token;
    const [request] = (await stack.api('GET', `/v1/restaurants/${restaurant.restaurantId}/service-requests`, { token: waiter })).body.requests;
    expect(request).toMatchObject({ type: 'CALL_WAITER', tableName: 'Window' });
    await stack.api('POST', `/v1/restaurants/${restaurant.restaurantId}/service-requests/${request.requestId}/ack`, { token: waiter });
    await expect.poll(() => page.getByRole('status').allInnerTexts(), SLOW).toContain('Someone is on the way.');

    // The token went bad (as when it expires): the app asks for the PIN and proves who the guest was.
    const seatKey = `seat:${tableCode}`;
    const before = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) as string) as { guestId: string }, seatKey);
    await page.evaluate((key) => localStorage.setItem(key, JSON.stringify({ ...JSON.parse(localStorage.getItem(key) as string), token: 'gt_not-a-token' })), seatKey);
    await page.reload();
    await expect.poll(() => page.getByLabel('PIN').count(), SLOW).toBe(1);
    await join(page, pin);
    await seated(page);
    const after = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) as string) as { guestId: string; token: string }, seatKey);
    expect(after.guestId).toBe(before.guestId);
    expect(after.token).not.toBe('gt_not-a-token');
  });
});
