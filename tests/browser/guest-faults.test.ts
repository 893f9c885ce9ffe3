import type { Request, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLOW, addDish, cartText, join, ordersText, seated, startWebStack } from './support/web-stack';
import type { WebStack } from './support/web-stack';

/** What phones live with: answers lost on the way back, reloads mid-order, sockets the server closes. */
let stack: WebStack;
beforeAll(async () => {
  // The server closes sockets idle for 3 s, as API Gateway does after 10 minutes.
  stack = await startWebStack({}, ['--ws-idle-seconds', '3']);
});
afterAll(async () => stack?.close());

async function tableWithCart() {
  const table = await stack.restaurantWithTable();
  const page = await stack.phone(table.tableCode);
  await join(page, table.pin);
  await seated(page);
  await addDish(page, 'Goulash');
  await expect.poll(() => cartText(page), SLOW).toContain('1 × Goulash');
  const kitchen = (await stack.hire(table.restaurant, 'KITCHEN')).token;
  const tickets = async () => (await stack.api('GET', `/v1/restaurants/${table.restaurant.restaurantId}/kitchen/tickets`, { token: kitchen })).body.tickets;
  return { ...table, page, kitchen, tickets };
}

describe('the guest app when the network fails', () => {
  it('retries an order whose answer was lost with the same Idempotency-Key: exactly one order', async () => {
    const { page, tickets } = await tableWithCart();
    const keys: string[] = [];
    let lost = 0;
    await page.route('**/v1/orders', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      // The first two reach the server, which places the order; the answers never come back.
      if (lost++ < 2) {
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    const replayed = page.waitForResponse((response) => response.url().endsWith('/v1/orders') && response.request().method() === 'POST');
    await page.getByRole('button', { name: 'Place order' }).click();
    expect((await replayed).headers()['idempotent-replayed']).toBe('true');
    await expect.poll(() => page.getByRole('status').allInnerTexts(), SLOW).toContainEqual(expect.stringMatching(/Order \d+ is with the kitchen/));

    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(await tickets()).toHaveLength(1);
    await expect.poll(() => ordersText(page), SLOW).toMatch(/Order \d+/);
    expect((await ordersText(page)).match(/Order \d+/g)).toHaveLength(1);
  });

  it('finishes an order after a reload that came before its answer, with the key it kept: exactly one order', async () => {
    const { page, tickets } = await tableWithCart();
    const keys: string[] = [];
    await page.route('**/v1/orders', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      await route.fetch();
      return route.abort('connectionreset');
    });
    const firstLost = page.waitForEvent('requestfailed', (request: Request) => request.url().endsWith('/v1/orders'));
    await page.getByRole('button', { name: 'Place order' }).click();
    await firstLost;
    await page.unroute('**/v1/orders');
    const resent = page.waitForRequest((request) => request.url().endsWith('/v1/orders') && request.method() === 'POST');
    await page.reload();
    expect((await resent).headers()['idempotency-key']).toBe(keys[0]);
    await expect.poll(() => page.getByRole('status').allInnerTexts(), SLOW).toContainEqual(expect.stringMatching(/Order \d+ is with the kitchen/));
    expect(await tickets()).toHaveLength(1);
    expect(await page.evaluate(() => Object.values(localStorage).some((seat) => seat.includes('pendingOrder')))).toBe(false);
  });

  it('says "Reconnecting…" when the server closes the socket, keeps working over HTTP, and catches up with sync', async () => {
    const table = await stack.restaurantWithTable();
    const context = await stack.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-GB' });
    let blocked = false;
    const syncs: number[] = [];
    let connections = 0;
    // Every socket passes through, so the test can keep the phone from reconnecting for a while.
    await context.routeWebSocket(/.*/, (socket: WebSocketRoute) => {
      if (blocked) return void socket.close({ code: 1001, reason: 'Going away' });
      const server = socket.connectToServer();
      const index = ++connections;
      socket.onMessage((message) => {
        if (String(message).includes('"sync"')) syncs.push(index);
        server.send(message);
      });
    });
    const page = await context.newPage();
    await page.goto(`${stack.app.url}/t?t=${table.tableCode}`);
    await join(page, table.pin);
    await seated(page);
    await addDish(page, 'Goulash');
    await page.getByRole('button', { name: 'Place order' }).click();
    await expect.poll(() => ordersText(page), SLOW).toMatch(/1 × Goulash\s+queued/);
    const kitchen = (await stack.hire(table.restaurant, 'KITCHEN')).token;
    const [ticket] = (await stack.api('GET', `/v1/restaurants/${table.restaurant.restaurantId}/kitchen/tickets`, { token: kitchen })).body.tickets;

    // The server closes the idle socket; the phone cannot get back in for now.
    blocked = true;
    await expect.poll(() => page.getByText('Reconnecting…').count(), SLOW).toBe(1);
    const reads: string[] = [];
    page.on('request', (request) => void (request.method() === 'GET' && reads.push(new URL(request.url()).pathname)));
    // Meanwhile the kitchen starts the dish: the message has no socket to go to.
    await stack.api('PATCH', `/v1/restaurants/${table.restaurant.restaurantId}/kitchen/orders/${ticket.orderId}/lines/${ticket.lines[0].lineId}`, {
      token: kitchen,
      body: { status: 'IN_PROGRESS' },
    });
    // Without the socket the app still works over HTTP.
    await addDish(page, 'Dumplings');
    await expect.poll(() => cartText(page), SLOW).toContain('1 × Dumplings');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await ordersText(page)).toMatch(/1 × Goulash\s+queued/);

    // Back in: the new connection syncs and the phone catches up, without reading the orders over HTTP.
    const syncedBefore = syncs.length;
    blocked = false;
    await expect.poll(() => ordersText(page), SLOW).toMatch(/1 × Goulash\s+preparing/);
    expect(syncs.length).toBeGreaterThan(syncedBefore);
    expect(reads).not.toContain('/v1/orders');
    await context.close();
  });
});
