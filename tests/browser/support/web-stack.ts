import { chromium } from 'playwright-core';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import { startRuntime } from '../../e2e/support/local-runtime';
import type { RuntimeProcess } from '../../../lib/local/runtime-process';
import { serveWebApps } from '../../../lib/local/web-app';
import type { WebAppServer } from '../../../lib/local/web-app';
import { staffFixtures } from '../../e2e/support/staff';
import type { TestRestaurant } from '../../e2e/support/staff';

/** What the app shows after work the local runtime may still be warming up for (its functions compile on first use). */
export const SLOW = { timeout: 15_000 };

/** The Chromium flags this machine needs: no sandbox as root, and nothing that calls out to a network that is closed. */
export const CHROMIUM_ARGS = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The local stack as phones and staff screens meet it: the web apps served as CloudFront serves them
 * (their origin is the API's CORS origin and what QR codes point at), the runtime (`npm start`'s own
 * entry) behind them, and Debian's Chromium. Each test file starts its own.
 */
export async function startWebStack(overrides: Record<string, string> = {}, args: string[] = []) {
  let urls = { apiUrl: '', webSocketUrl: '' };
  const app: WebAppServer = await serveWebApps({ port: 0, config: () => urls });
  const start = (more: string[] = []) => startRuntime({ CORS_ORIGIN: app.url, GUEST_ORDERING_URL: `${app.url}/t`, ...overrides }, [...args, ...more]);
  let runtime: RuntimeProcess = await start();
  urls = { apiUrl: runtime.url, webSocketUrl: runtime.webSocketUrl };
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const fixtures = staffFixtures(() => runtime);
  const { api } = fixtures;

  /** A restaurant with a menu of plain dishes and one with a required option group, a table and an open session. */
  async function restaurantWithTable(options: { name?: string; mode?: 'FAMILY' | 'INDIVIDUAL' } = {}) {
    const restaurant: TestRestaurant = await fixtures.createRestaurantWithCli(options.name ?? 'Browser Bistro');
    const item = async (body: Record<string, unknown>) =>
      (await api('POST', `/v1/restaurants/${restaurant.restaurantId}/menu/items`, { token: restaurant.ownerToken, body: { category: 'Mains', station: 'GRILL', ...body } })).body;
    const goulash = await item({ name: 'Goulash', priceCents: 1450, allergens: ['celery'] });
    const dumplings = await item({ name: 'Dumplings', priceCents: 650, dietary: ['vegetarian'], allergens: ['gluten', 'eggs'] });
    const burger = await item({
      name: 'Burger',
      priceCents: 1200,
      optionGroups: [
        { name: 'Doneness', minSelected: 1, maxSelected: 1, options: [{ name: 'Medium', priceDeltaCents: 0 }, { name: 'Well done', priceDeltaCents: 0 }] },
        { name: 'Extras', minSelected: 0, maxSelected: 2, options: [{ name: 'Cheese', priceDeltaCents: 150 }, { name: 'Bacon', priceDeltaCents: 200 }] },
      ],
    });
    const table = (await api('POST', `/v1/restaurants/${restaurant.restaurantId}/tables`, { token: restaurant.ownerToken, body: { name: 'Window' } })).body;
    expect(table.orderUrl).toBe(`${app.url}/t?t=${table.tableCode}`);
    const session = (await api('POST', `/v1/restaurants/${restaurant.restaurantId}/tables/${table.tableId}/sessions`, { token: restaurant.ownerToken, body: { mode: options.mode ?? 'FAMILY' } }))
      .body;
    return { restaurant, table, session, pin: session.pin as string, tableCode: table.tableCode as string, items: { goulash, dumplings, burger } };
  }

  /** A phone at the table: a browser context of its own (its own storage), the QR code's URL opened. */
  async function phone(tableCode: string, options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-GB', ...options });
    const page = await context.newPage();
    await page.goto(`${app.url}/t?t=${tableCode}`);
    return page;
  }

  /** A staff screen signed in through the staff app's own form (a 1080p landscape screen unless said). */
  async function staffScreen(restaurantId: string, login: { username: string; password: string }, options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'en-GB', ...options });
    const page = await context.newPage();
    await page.goto(`${app.url}/staff/`);
    await page.getByLabel('Restaurant').fill(restaurantId);
    await page.getByLabel('Username').fill(login.username);
    await page.getByLabel('Password').fill(login.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Log out' }).count(), SLOW).toBe(1);
    return page;
  }

  /**
   * Stops the runtime in the middle of whatever is going on and starts it again on the same ports (the
   * data stays in DynamoDB): what a restart of `npm start` or a deployment looks like to the open apps.
   * `whileDown` runs while nothing answers.
   */
  async function restartRuntime(whileDown: () => Promise<void> = async () => undefined) {
    const ports = ['--port', new URL(runtime.url).port, '--ws-port', new URL(runtime.webSocketUrl).port];
    await runtime.stop();
    await whileDown();
    runtime = await start(ports);
  }

  return {
    app,
    staffScreen,
    get runtime() {
      return runtime;
    },
    restartRuntime,
    browser,
    ...fixtures,
    restaurantWithTable,
    phone,
    async close() {
      await browser.close();
      await runtime.stop();
      await app.close();
    },
  };
}
export type WebStack = Awaited<ReturnType<typeof startWebStack>>;

/** Joins with the PIN (and a name) as a guest types it. */
export async function join(page: Page, pin: string, name?: string) {
  await page.getByLabel('PIN').fill(pin);
  if (name) await page.getByLabel('Your name (optional)').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
}

/** The phone is at the table and its socket is live. */
export async function seated(page: Page) {
  await expect.poll(() => page.getByRole('heading', { name: 'Menu' }).count(), SLOW).toBe(1);
  await expect.poll(() => page.getByText('Reconnecting…').count(), SLOW).toBe(0);
}

/** Opens a dish, picks options by their labels, and adds it. */
export async function addDish(page: Page, name: string, options: string[] = []) {
  await page.getByRole('button', { name: new RegExp(`^${name}\\b`) }).click();
  const dialog = page.getByRole('dialog', { name });
  for (const option of options) await dialog.getByLabel(option).check();
  await dialog.getByRole('button', { name: /^Add to order/ }).click();
  await expect.poll(() => page.getByRole('dialog').count(), SLOW).toBe(0);
}

/** The cart: the table's (FAMILY) or the guest's own (INDIVIDUAL). */
export const cartText = (page: Page) => page.getByRole('region', { name: /^(Table order|Your order)$/ }).innerText();
export const ordersText = (page: Page) => page.getByRole('region', { name: 'Orders' }).innerText();
