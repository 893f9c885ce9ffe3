import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLOW, addDish, join, ordersText, seated, startWebStack } from './support/web-stack';
import type { WebStack } from './support/web-stack';

/** axe-core on every screen of the guest app, light and dark, English and German; the README's screenshots come from here. */
let stack: WebStack;
beforeAll(async () => {
  stack = await startWebStack({ PIN_GUARD_FAILURES: '3' });
});
afterAll(async () => stack?.close());

const SCREENSHOTS = fileURLToPath(new URL('../../web/screenshots/', import.meta.url));

/** The serious and critical WCAG 2.1 A/AA violations axe finds on the page as it is now, as readable lines. */
async function violations(page: Page): Promise<string[]> {
  const { violations: found } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return found
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
}
const wrongPin = (pin: string) => String((Number(pin) + 1) % 10 ** pin.length).padStart(pin.length, '0');

describe('the guest app is accessible on every screen', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`in ${colorScheme}: join, wrong PIN, menu, dish, cart, orders, waiting, a join request, closed`, async () => {
      const { restaurant, tableCode, pin, session } = await stack.restaurantWithTable();
      const page = await stack.phone(tableCode, { colorScheme });
      const checked: Record<string, string[]> = {};
      const check = async (screen: string) => void (checked[screen] = await violations(page));

      await expect.poll(() => page.getByLabel('PIN').count(), SLOW).toBe(1);
      await check('join');
      await join(page, wrongPin(pin));
      await expect.poll(() => page.getByRole('alert').count(), SLOW).toBe(1);
      await check('wrong PIN');
      await join(page, pin, 'Ada');
      await seated(page);
      await check('menu');
      await page.getByRole('button', { name: /^Burger\b/ }).click();
      await page.getByRole('dialog', { name: 'Burger' }).getByLabel('Medium').check();
      await check('dish');
      if (colorScheme === 'light') await page.screenshot({ path: `${SCREENSHOTS}guest-dish.png` });
      await page.getByRole('dialog', { name: 'Burger' }).getByRole('button', { name: /^Add to order/ }).click();
      await addDish(page, 'Dumplings');
      await page.getByRole('region', { name: 'Table order' }).scrollIntoViewIfNeeded();
      await check('cart');
      if (colorScheme === 'light') await page.screenshot({ path: `${SCREENSHOTS}guest-cart.png` });
      await page.getByRole('button', { name: 'Place order' }).click();
      await expect.poll(() => ordersText(page), SLOW).toMatch(/Order \d+/);
      await page.getByRole('region', { name: 'Orders' }).scrollIntoViewIfNeeded();
      await check('orders');
      if (colorScheme === 'dark') await page.screenshot({ path: `${SCREENSHOTS}guest-orders-dark.png` });

      // Guarded: a newcomer waits, the table sees the request.
      for (let i = 2; i <= 4; i++) await stack.api('POST', '/v1/sessions/join', { body: { tableCode, pin: wrongPin(String(Number(pin) + i)) }, ip: `198.18.7.${i}` });
      const newcomer = await stack.phone(tableCode, { colorScheme });
      await join(newcomer, pin, 'Bob');
      await expect.poll(() => newcomer.getByRole('status').count(), SLOW).toBe(1);
      checked.waiting = await violations(newcomer);
      await expect.poll(() => page.getByRole('group', { name: 'Bob wants to join your table.' }).count(), SLOW).toBe(1);
      await page.evaluate('window.scrollTo(0, 0)');
      await check('join request');

      await stack.api('POST', `/v1/restaurants/${restaurant.restaurantId}/sessions/${session.sessionId}/close`, { token: restaurant.ownerToken });
      await expect.poll(() => page.getByRole('heading', { name: 'Thank you!' }).count(), SLOW).toBe(1);
      await check('closed');

      expect(checked).toEqual({
        join: [],
        'wrong PIN': [],
        menu: [],
        dish: [],
        cart: [],
        orders: [],
        waiting: [],
        'join request': [],
        closed: [],
      });
    });
  }

  it('in German, from the browser\'s language: the strings, the menu\'s translation and the currency as German guests read it', async () => {
    const { restaurant, tableCode, pin, items } = await stack.restaurantWithTable();
    await stack.api('PATCH', `/v1/restaurants/${restaurant.restaurantId}`, { token: restaurant.ownerToken, body: { languages: ['en', 'de'] } });
    await stack.api('PATCH', `/v1/restaurants/${restaurant.restaurantId}/menu/items/${items.goulash.itemId}`, {
      token: restaurant.ownerToken,
      body: { translations: { de: { name: 'Gulasch', category: 'Hauptgerichte' } } },
    });
    const page = await stack.phone(tableCode, { locale: 'de-DE' });
    await expect.poll(() => page.getByLabel('Ihr Name (optional)').count(), SLOW).toBe(1);
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    await page.getByLabel('PIN').fill(pin);
    await page.getByRole('button', { name: 'Beitreten' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Speisekarte' }).count(), SLOW).toBe(1);
    await expect.poll(() => page.getByRole('region', { name: 'Speisekarte' }).innerText(), SLOW).toContain('Gulasch');
    const menu = await page.getByRole('region', { name: 'Speisekarte' }).innerText();
    expect(menu).toMatch(/14,50\s€/);
    expect(menu).toContain('Enthält: Sellerie');
    expect(await violations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}guest-menu-de.png` });
  });
});
