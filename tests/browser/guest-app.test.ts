import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { spawnRuntime } from '../../lib/local/runtime-process';
import type { RuntimeProcess } from '../../lib/local/runtime-process';
import { buildGuestApp, serveGuestApp } from '../../lib/local/web-app';
import type { GuestAppServer } from '../../lib/local/web-app';
import { call } from '../e2e/support/http';
import { staffFixtures } from '../e2e/support/staff';
import type { TestRestaurant } from '../e2e/support/staff';

/** The guest app in a real Chromium (Debian's), against the local stack, as a phone at the table uses it. */
let runtime: RuntimeProcess;
let app: GuestAppServer;
let browser: Browser;
const { api, createRestaurantWithCli, hire } = staffFixtures(() => runtime);
let a: TestRestaurant;
let tableCode: string;
let pin: string;

beforeAll(async () => {
  await buildGuestApp();
  // The app's origin first: the API allows CORS from it only, and QR codes point at it.
  let urls = { apiUrl: '', webSocketUrl: '' };
  app = await serveGuestApp({ port: 0, config: () => urls });
  runtime = await spawnRuntime({
    dynamoDbEndpoint: inject('dynamoDbEndpoint'),
    tableName: inject('tableName'),
    overrides: { CORS_ORIGIN: app.url, GUEST_ORDERING_URL: `${app.url}/t` },
  });
  urls = { apiUrl: runtime.url, webSocketUrl: runtime.webSocketUrl };
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });

  a = await createRestaurantWithCli('Browser Bistro');
  const dish = (name: string, priceCents: number) =>
    api('POST', `/v1/restaurants/${a.restaurantId}/menu/items`, { token: a.ownerToken, body: { name, category: 'Mains', priceCents, station: 'GRILL' } });
  await dish('Goulash', 1450);
  await dish('Dumplings', 650);
  const table = (await api('POST', `/v1/restaurants/${a.restaurantId}/tables`, { token: a.ownerToken, body: { name: 'Window' } })).body;
  expect(table.orderUrl).toBe(`${app.url}/t?t=${table.tableCode}`);
  tableCode = table.tableCode;
  pin = (await api('POST', `/v1/restaurants/${a.restaurantId}/tables/${table.tableId}/sessions`, { token: a.ownerToken, body: { mode: 'FAMILY' } })).body.pin;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  await app?.close();
});

/** A phone at the table: a browser context of its own (its own storage), the QR code's URL opened. */
async function phone(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-GB' })).newPage();
  await page.goto(`${app.url}/t?t=${tableCode}`);
  return page;
}
const join = async (page: Page, withPin = pin) => {
  await page.getByLabel('PIN').fill(withPin);
  await page.getByRole('button', { name: 'Join' }).click();
};
/** What the app shows after work the local runtime may still be warming up for (its functions compile on first use). */
const SLOW = { timeout: 10_000 };
const cartText = (page: Page) => page.getByRole('region', { name: 'Your order' }).innerText();

describe('the guest app', () => {
  it('is served as CloudFront serves it: the app for its own paths, config.json, 400 for a broken path, never a file outside', async () => {
    expect((await fetch(`${app.url}/t?t=${tableCode}`)).headers.get('content-type')).toContain('text/html');
    expect(await (await fetch(`${app.url}/config.json`)).json()).toEqual({ apiUrl: runtime.url, webSocketUrl: runtime.webSocketUrl });
    expect((await fetch(`${app.url}/%E0%A4%A`)).status).toBe(400);
    expect(await (await fetch(`${app.url}/..%2F..%2Fpackage.json`)).text()).not.toContain('"dependencies"');
    expect((await fetch(`${app.url}/t`)).status).toBe(200);
  });

  it('says which restaurant and table, and how many PIN attempts are left after a wrong one', async () => {
    const page = await phone();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText(), SLOW).toBe('Browser Bistro · Window');
    await join(page, pin === '000000' ? '111111' : '000000');
    await expect.poll(() => page.getByRole('alert').innerText(), SLOW).toMatch(/Wrong PIN\. \d+ attempts left\./);
    await page.context().close();
  });

  it('lets two phones share one FAMILY cart live, orders once, and keeps the guest across a reload', async () => {
    const [ada, bob] = [await phone(), await phone()];
    await join(ada);
    await join(bob);
    // Both phones live (the app says "Reconnecting…" whenever its socket is down).
    for (const page of [ada, bob]) await expect.poll(() => page.getByText('Reconnecting…').count(), SLOW).toBe(0);
    // The first tap meets functions still loading their modules (the local runtime compiles them on first use).
    await ada.getByRole('button', { name: 'Add Dumplings' }).click();
    await expect.poll(() => cartText(bob), SLOW).toContain('1 × Dumplings');
    await ada.getByRole('button', { name: 'Add Goulash' }).click();
    const added = Date.now();
    await expect.poll(() => cartText(bob), { timeout: 1000, interval: 50 }).toContain('1 × Goulash');
    expect(Date.now() - added).toBeLessThan(1000);
    // Prices from the server, in the restaurant's currency.
    expect(await cartText(bob)).toContain('€14.50');
    expect(await cartText(bob)).toContain('Total €21.00');

    await bob.getByRole('button', { name: 'Place order' }).click();
    await expect.poll(() => bob.getByRole('alert').innerText(), SLOW).toMatch(/Order \d+ is with the kitchen/);
    await expect.poll(() => ada.getByRole('region', { name: 'Orders' }).innerText(), SLOW).toMatch(/Order \d+\s+PLACED/);
    const tickets = (await call(runtime.url, 'GET', `/v1/restaurants/${a.restaurantId}/kitchen/tickets`, { token: (await hire(a, 'KITCHEN')).token })).body.tickets;
    expect(tickets).toHaveLength(1);
    expect(tickets[0].lines.map((line: { name: string }) => line.name).sort()).toEqual(['Dumplings', 'Goulash']);

    // A reload is the same guest at the same table: no PIN again, the same orders.
    await ada.reload();
    await expect.poll(() => ada.getByRole('region', { name: 'Orders' }).innerText(), SLOW).toMatch(/Order \d+\s+PLACED/);
    expect(await ada.getByLabel('PIN').count()).toBe(0);
  });

  it('calls the waiter and shows the acknowledgement; a guest whose token stopped working comes back as themselves with the PIN', async () => {
    const page = await phone();
    await join(page);
    await expect.poll(() => page.getByText('Reconnecting…').count(), SLOW).toBe(0);
    await page.getByRole('button', { name: 'Call waiter' }).click();
    await expect.poll(() => page.getByRole('alert').innerText(), SLOW).toBe('The staff know you are calling.');
    const waiter = (await hire(a, 'WAITER')).token;
    const [request] = (await call(runtime.url, 'GET', `/v1/restaurants/${a.restaurantId}/service-requests`, { token: waiter })).body.requests;
    expect(request).toMatchObject({ type: 'CALL_WAITER', tableName: 'Window' });
    await call(runtime.url, 'POST', `/v1/restaurants/${a.restaurantId}/service-requests/${request.requestId}/ack`, { token: waiter });
    await expect.poll(() => page.getByRole('alert').innerText(), SLOW).toBe('Someone is on the way.');

    // The token is gone bad (as when it expires): the app asks for the PIN and proves who the guest was.
    const seatKey = `seat:${tableCode}`;
    const before = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) as string) as { guestId: string }, seatKey);
    await page.evaluate((key) => localStorage.setItem(key, JSON.stringify({ ...JSON.parse(localStorage.getItem(key) as string), token: 'gt_not-a-token' })), seatKey);
    await page.reload();
    await join(page);
    await expect.poll(() => page.getByRole('region', { name: 'Your order' }).count(), SLOW).toBe(1);
    const after = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) as string) as { guestId: string; token: string }, seatKey);
    expect(after.guestId).toBe(before.guestId);
    expect(after.token).not.toBe('gt_not-a-token');
  });
});
