import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './support/http';
import { startRuntime } from './support/local-runtime';
import type { RunningRuntime } from './support/local-runtime';
import { TestSocket } from './support/socket';
import { staffFixtures } from './support/staff';
import type { TestRestaurant } from './support/staff';

/** Restaurant settings, a menu in the guest's language, and an 86 that ends by itself (API.md r2: Menu, Restaurant settings). */
let runtime: RunningRuntime;
const { api, createRestaurantWithCli, hire } = staffFixtures(() => runtime);
let a: TestRestaurant;

beforeAll(async () => {
  runtime = await startRuntime();
  a = await createRestaurantWithCli('Babel Bistro');
});

afterAll(async () => {
  await runtime?.stop();
});

const menuPath = () => `/v1/restaurants/${a.restaurantId}/menu`;
const itemPath = (itemId: string) => `/v1/restaurants/${a.restaurantId}/menu/items/${itemId}`;
const createItem = (body: Record<string, unknown>) =>
  api('POST', `${menuPath()}/items`, { token: a.ownerToken, body: { category: 'Mains', priceCents: 1200, station: 'GRILL', ...body } });
const menuItem = async (itemId: string, query = '') =>
  ((await api('GET', `${menuPath()}${query}`)).body.categories as { name: string; items: { itemId: string }[] }[]).flatMap((category) =>
    category.items.map((item) => ({ category: category.name, ...item })),
  ).find((item) => item.itemId === itemId);

describe('restaurant settings', () => {
  it('are read by staff and changed by managers only, validated', async () => {
    expect((await api('GET', `/v1/restaurants/${a.restaurantId}`, { token: a.ownerToken })).body).toMatchObject({ languages: ['en'], maxGuestsPerSession: 20 });
    expect((await api('GET', `/v1/restaurants/${a.restaurantId}`, { token: a.ownerToken })).body.dueSoonMinutes).toBe(2);
    const changed = await api('PATCH', `/v1/restaurants/${a.restaurantId}`, { token: a.ownerToken, body: { languages: ['en', 'de'], maxGuestsPerSession: 12, dueSoonMinutes: 5 } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ restaurantId: a.restaurantId, languages: ['en', 'de'], maxGuestsPerSession: 12, dueSoonMinutes: 5 });
    for (const body of [{ languages: ['en', 'en'] }, { languages: ['English'] }, { languages: [] }, {}, { maxGuestsPerSession: 0 }, { currency: 'USD' }, { dueSoonMinutes: 0 }, { dueSoonMinutes: 61 }]) {
      expectError(await api('PATCH', `/v1/restaurants/${a.restaurantId}`, { token: a.ownerToken, body }), 400, 'VALIDATION_FAILED');
    }
    const waiter = await hire(a, 'WAITER');
    expectError(await api('PATCH', `/v1/restaurants/${a.restaurantId}`, { token: waiter.token, body: { name: 'Mine now' } }), 403, 'FORBIDDEN');
    expect((await api('GET', `/v1/restaurants/${a.restaurantId}`, { token: waiter.token })).body.name).toBe('Babel Bistro');
  });
});

describe('a menu in the guest’s language', () => {
  it('answers ?lang=de in German where translated, else in the menu’s own language', async () => {
    const schnitzel = await createItem({ name: 'Veal escalope', description: 'With lemon', translations: { de: { name: 'Wiener Schnitzel', description: 'Mit Zitrone', category: 'Hauptgerichte' } } });
    expect(schnitzel.status).toBe(201);
    expect(schnitzel.body.translations).toEqual({ de: { name: 'Wiener Schnitzel', description: 'Mit Zitrone', category: 'Hauptgerichte' } });
    const fries = await createItem({ name: 'Fries' });
    expect(await menuItem(schnitzel.body.itemId, '?lang=de')).toMatchObject({ category: 'Hauptgerichte', name: 'Wiener Schnitzel', description: 'Mit Zitrone' });
    expect(await menuItem(fries.body.itemId, '?lang=de')).toMatchObject({ category: 'Hauptgerichte', name: 'Fries' });
    expect(await menuItem(schnitzel.body.itemId)).toMatchObject({ category: 'Mains', name: 'Veal escalope', description: 'With lemon' });
    // A language the restaurant does not offer is the menu's own; guests never see the translations themselves.
    expect(await menuItem(schnitzel.body.itemId, '?lang=fr')).toMatchObject({ name: 'Veal escalope' });
    expect(await menuItem(schnitzel.body.itemId, '?lang=de')).not.toHaveProperty('translations');
    expectError(await api('GET', `${menuPath()}?lang=${encodeURIComponent('<script>')}`), 400, 'VALIDATION_FAILED');
  });

  it('refuses translations into a language the restaurant does not declare, or into its own, and writes nothing', async () => {
    const item = await createItem({ name: 'Soup' });
    for (const translations of [{ fr: { name: 'Soupe' } }, { en: { name: 'Soup' } }]) {
      const refused = await api('PATCH', itemPath(item.body.itemId), { token: a.ownerToken, body: { translations } });
      expectError(refused, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(refused.body.error.details.issues)).toContain(Object.keys(translations)[0]);
    }
    expectError(await createItem({ name: 'Bouillabaisse', translations: { fr: { name: 'Bouillabaisse' } } }), 400, 'VALIDATION_FAILED');
    expect(await menuItem(item.body.itemId)).toMatchObject({ name: 'Soup' });
    expect((await api('GET', menuPath())).body.categories.flatMap((c: { items: { name: string }[] }) => c.items.map((i) => i.name))).not.toContain('Bouillabaisse');
  });
});

describe('a timed 86', () => {
  it('makes the item unavailable until its time, then it comes back by itself and guests hear it', async () => {
    const item = await createItem({ name: `Daily fish ${randomUUID().slice(0, 4)}` });
    const kitchen = await hire(a, 'KITCHEN');
    const table = (await api('POST', `/v1/restaurants/${a.restaurantId}/tables`, { token: a.ownerToken, body: { name: 'T 86' } })).body;
    const session = (await api('POST', `/v1/restaurants/${a.restaurantId}/tables/${table.tableId}/sessions`, { token: a.ownerToken, body: { mode: 'FAMILY' } })).body;
    const guest = (await api('POST', '/v1/sessions/join', { body: { tableCode: table.tableCode, pin: session.pin } })).body;
    const phone = await TestSocket.open(runtime.webSocketUrl, guest.token);

    const back = new Date(Date.now() + 3000);
    // The kitchen may 86 an item for a while: that is availability, its own business.
    const eightySixed = await api('PATCH', itemPath(item.body.itemId), { token: kitchen.token, body: { availableAgainAt: back.toISOString() } });
    expect(eightySixed.status).toBe(200);
    expect(eightySixed.body).toMatchObject({ available: false, availableAgainAt: new Date(Math.ceil(back.getTime() / 1000) * 1000).toISOString() });
    expect(await menuItem(item.body.itemId)).toMatchObject({ available: false, availableAgainAt: eightySixed.body.availableAgainAt });
    await phone.waitFor((m) => m.type === 'menu.item.updated' && m.data.itemId === item.body.itemId && m.data.available === false);
    expectError(await api('POST', '/v1/cart/lines', { token: guest.token, body: { itemId: item.body.itemId, quantity: 1 } }), 409, 'ITEM_UNAVAILABLE');

    const heard = await phone.waitFor((m) => m.type === 'menu.item.updated' && m.data.itemId === item.body.itemId && m.data.available === true, 15_000);
    expect(Date.now()).toBeGreaterThanOrEqual(back.getTime());
    expect(heard.data).toEqual({ itemId: item.body.itemId, available: true });
    expect(await menuItem(item.body.itemId)).toMatchObject({ available: true, availableAgainAt: null });
    expect((await api('POST', '/v1/cart/lines', { token: guest.token, body: { itemId: item.body.itemId, quantity: 1 } })).status).toBe(201);
    phone.close();
  }, 30_000);

  it('is cancelled by setting the item available by hand: the timer then changes nothing', async () => {
    const item = await createItem({ name: `Oysters ${randomUUID().slice(0, 4)}`, availableAgainAt: new Date(Date.now() + 2000).toISOString() });
    expect(item.body).toMatchObject({ available: false, availableAgainAt: expect.any(String) });
    const manual = await api('PATCH', itemPath(item.body.itemId), { token: a.ownerToken, body: { available: true } });
    expect(manual.body).toMatchObject({ available: true, availableAgainAt: null });
    // 86 again, indefinitely this time: the old timer must not bring it back.
    await api('PATCH', itemPath(item.body.itemId), { token: a.ownerToken, body: { available: false } });
    await until(() => runtime.logs().includes('"timed 86 no longer current"'));
    expect(await menuItem(item.body.itemId)).toMatchObject({ available: false, availableAgainAt: null });
  }, 30_000);

  it('refuses a time in the past or too far ahead, and one sent with available: true', async () => {
    const item = await createItem({ name: 'Lobster' });
    for (const body of [
      { availableAgainAt: new Date(Date.now() - 60_000).toISOString() },
      { availableAgainAt: new Date(Date.now() + 31 * 86_400_000).toISOString() },
      { availableAgainAt: 'tomorrow' },
      { available: true, availableAgainAt: new Date(Date.now() + 60_000).toISOString() },
    ]) {
      expectError(await api('PATCH', itemPath(item.body.itemId), { token: a.ownerToken, body }), 400, 'VALIDATION_FAILED');
    }
    expect(await menuItem(item.body.itemId)).toMatchObject({ available: true, availableAgainAt: null });
  });
});

async function until(check: () => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
