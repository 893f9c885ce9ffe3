import { networkInterfaces } from 'node:os';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime } from '../e2e/support/local-runtime';
import type { RuntimeProcess } from '../../lib/local/runtime-process';
import { staffFixtures } from '../e2e/support/staff';
import { CHROMIUM_ARGS, CHROMIUM_PATH, SLOW, addDish, cartText, join, seated } from './support/web-stack';

/** `npm start -- --host 0.0.0.0`: a phone on the same network opens the QR code's URL and orders. */
const lan = Object.values(networkInterfaces())
  .flat()
  .find((address) => address?.family === 'IPv4' && !address.internal)?.address;

let runtime: RuntimeProcess;
const { api, createRestaurantWithCli } = staffFixtures(() => runtime);

beforeAll(async () => {
  // The guest app as npm start serves it (already built for the browser tests), on every interface.
  runtime = await startRuntime({}, ['--web', '--no-web-build', '--web-port', '0', '--host', '0.0.0.0']);
});
afterAll(async () => runtime?.stop());

describe('npm start --host 0.0.0.0', () => {
  it('puts the machine\'s network address in QR codes, config.json and the API\'s CORS origin, so a phone there can order', async () => {
    expect(lan, 'this machine has no external IPv4 address to be reached at').toBeDefined();
    const guestApp = /Guest app: (http:\/\/\S+)\/t\?t=/.exec(runtime.logs())?.[1] as string;
    expect(new URL(guestApp).hostname).toBe(lan);
    const restaurant = await createRestaurantWithCli('Network Bistro');
    await api('POST', `/v1/restaurants/${restaurant.restaurantId}/menu/items`, { token: restaurant.ownerToken, body: { name: 'Goulash', category: 'Mains', priceCents: 1450, station: 'GRILL' } });
    const table = (await api('POST', `/v1/restaurants/${restaurant.restaurantId}/tables`, { token: restaurant.ownerToken, body: { name: 'Garden' } })).body;
    expect(table.orderUrl).toBe(`${guestApp}/t?t=${table.tableCode}`);
    const { pin } = (await api('POST', `/v1/restaurants/${restaurant.restaurantId}/tables/${table.tableId}/sessions`, { token: restaurant.ownerToken, body: { mode: 'FAMILY' } })).body;
    const config = (await (await fetch(`${guestApp}/config.json`)).json()) as { apiUrl: string; webSocketUrl: string };
    expect(new URL(config.apiUrl).hostname).toBe(lan);
    expect(new URL(config.webSocketUrl).hostname).toBe(lan);

    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const page = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
      await page.goto(table.orderUrl);
      await join(page, pin);
      await seated(page);
      await addDish(page, 'Goulash');
      await expect.poll(() => cartText(page), SLOW).toContain('1 × Goulash');
    } finally {
      await browser.close();
    }
  });
});
