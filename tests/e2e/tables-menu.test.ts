import { Resvg } from '@resvg/resvg-js';
import jsQR from 'jsqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './support/http';
import { startRuntime } from './support/local-runtime';
import type { RunningRuntime } from './support/local-runtime';
import { staffFixtures } from './support/staff';
import type { TestRestaurant } from './support/staff';

let runtime: RunningRuntime;
const { api, createRestaurantWithCli, hire } = staffFixtures(() => runtime);

let a: TestRestaurant;
let b: TestRestaurant;
const tokens: Record<'OWNER' | 'MANAGER' | 'WAITER' | 'KITCHEN', string> = { OWNER: '', MANAGER: '', WAITER: '', KITCHEN: '' };

beforeAll(async () => {
  runtime = await startRuntime();
  [a, b] = await Promise.all([createRestaurantWithCli('Table Bistro'), createRestaurantWithCli('Other Bistro')]);
  tokens.OWNER = a.ownerToken;
  tokens.MANAGER = (await hire(a, 'MANAGER')).token;
  tokens.WAITER = (await hire(a, 'WAITER')).token;
  tokens.KITCHEN = (await hire(a, 'KITCHEN', 'GRILL')).token;
});

afterAll(async () => {
  await runtime?.stop();
});

const dish = (overrides: Record<string, unknown> = {}) => ({
  name: 'Smash burger',
  category: 'Mains',
  priceCents: 1650,
  station: 'GRILL',
  ...overrides,
});

async function newTable(name = 'Table 1') {
  const response = await api('POST', `/v1/restaurants/${a.restaurantId}/tables`, { token: tokens.MANAGER, body: { name } });
  expect(response.status).toBe(201);
  return response.body as { tableId: string; name: string; tableCode: string; orderUrl: string };
}

async function newItem(overrides: Record<string, unknown> = {}) {
  const response = await api('POST', `/v1/restaurants/${a.restaurantId}/menu/items`, { token: tokens.MANAGER, body: dish(overrides) });
  expect(response.status).toBe(201);
  return response.body as { itemId: string };
}

/** Renders the SVG to pixels and reads the QR code back, as a phone camera would. */
async function fetchAndDecodeQr(tableId: string, token: string) {
  const response = await fetch(`${runtime.url}/v1/restaurants/${a.restaurantId}/tables/${tableId}/qr.svg`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const svg = await response.text();
  const image = new Resvg(svg, { fitTo: { mode: 'width', value: 400 }, background: 'white' }).render();
  const decoded = jsQR(new Uint8ClampedArray(image.pixels), image.width, image.height);
  return { response, text: decoded?.data };
}

describe('tables', () => {
  it('creates tables with an unguessable code and its order URL, and lists them', async () => {
    const table = await newTable('Window 4');
    expect(table).toEqual({ tableId: expect.any(String), name: 'Window 4', tableCode: expect.any(String), orderUrl: expect.any(String) });
    expect(Buffer.from(table.tableCode, 'base64url').length * 8).toBeGreaterThanOrEqual(64);
    expect(table.orderUrl).toBe(`http://localhost:5173/t?t=${table.tableCode}`);

    const listed = await api('GET', `/v1/restaurants/${a.restaurantId}/tables`, { token: tokens.WAITER });
    expect(listed.status).toBe(200);
    expect(listed.body.tables).toContainEqual({ ...table, openSessionId: null });
  });

  it('lists tables by name as a waiter reads them, numbers in order, whatever order they were made in', async () => {
    const restaurant = await createRestaurantWithCli('Floor Bistro');
    // One at a time, so each gets its own (time-sorted) id: the order made is not the order shown.
    for (const name of ['Table 10', 'Table 2', 'Terrace 1', 'table 1', 'Bar']) {
      expect((await api('POST', `/v1/restaurants/${restaurant.restaurantId}/tables`, { token: restaurant.ownerToken, body: { name } })).status).toBe(201);
    }
    const listed = await api('GET', `/v1/restaurants/${restaurant.restaurantId}/tables`, { token: restaurant.ownerToken });
    expect(listed.body.tables.map((table: { name: string }) => table.name)).toEqual(['Bar', 'table 1', 'Table 2', 'Table 10', 'Terrace 1']);
  });

  it('serves the QR code as image/svg+xml that decodes back to the order URL', async () => {
    const table = await newTable();
    const { response, text } = await fetchAndDecodeQr(table.tableId, tokens.MANAGER);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
    expect(text).toBe(table.orderUrl);
  });

  it('rotates the code: the old code stops resolving, the QR code follows the new one', async () => {
    const table = await newTable();
    expect((await api('GET', `/v1/tables/${table.tableCode}`)).body).toEqual({
      restaurant: { restaurantId: a.restaurantId, name: 'Table Bistro', currency: 'EUR', languages: ['en'] },
      table: { name: table.name },
    });

    const rotated = await api('POST', `/v1/restaurants/${a.restaurantId}/tables/${table.tableId}/code`, { token: tokens.OWNER });
    expect(rotated.status).toBe(200);
    expect(rotated.body.tableCode).not.toBe(table.tableCode);
    expect(rotated.body.orderUrl).toBe(`http://localhost:5173/t?t=${rotated.body.tableCode}`);

    expectError(await api('GET', `/v1/tables/${table.tableCode}`), 404, 'NOT_FOUND');
    expect((await api('GET', `/v1/tables/${rotated.body.tableCode}`)).status).toBe(200);
    expect((await fetchAndDecodeQr(table.tableId, tokens.MANAGER)).text).toBe(rotated.body.orderUrl);
  });

  it('applies the role matrix', async () => {
    const table = await newTable();
    const tables = `/v1/restaurants/${a.restaurantId}/tables`;
    const cases: [string, string, keyof typeof tokens, number][] = [
      ['POST', tables, 'OWNER', 201],
      ['POST', tables, 'WAITER', 403],
      ['POST', tables, 'KITCHEN', 403],
      ['GET', tables, 'OWNER', 200],
      ['GET', tables, 'MANAGER', 200],
      ['GET', tables, 'KITCHEN', 403],
      ['GET', `${tables}/${table.tableId}/qr.svg`, 'OWNER', 200],
      ['GET', `${tables}/${table.tableId}/qr.svg`, 'WAITER', 403],
      ['POST', `${tables}/${table.tableId}/code`, 'MANAGER', 200],
      ['POST', `${tables}/${table.tableId}/code`, 'WAITER', 403],
      ['POST', `${tables}/${table.tableId}/code`, 'KITCHEN', 403],
    ];
    for (const [method, path, role, status] of cases) {
      const response = await api(method, path, { token: tokens[role], body: method === 'POST' ? { name: 'T' } : undefined });
      expect(response.status, `${role} ${method} ${path}`).toBe(status);
      if (status === 403) expectError(response, 403, 'FORBIDDEN');
    }
  });

  it('validates table names and refuses unknown tables', async () => {
    for (const name of ['', '   ', 'x'.repeat(41)]) {
      expectError(await api('POST', `/v1/restaurants/${a.restaurantId}/tables`, { token: tokens.OWNER, body: { name } }), 400, 'VALIDATION_FAILED');
    }
    expectError(await api('POST', `/v1/restaurants/${a.restaurantId}/tables/01NOSUCHTABLE/code`, { token: tokens.OWNER }), 404, 'NOT_FOUND');
    expectError(await api('GET', '/v1/tables/AAAAAAAAAAAAAAAA'), 404, 'NOT_FOUND');
    expectError(await api('GET', '/v1/tables/not-a-code'), 404, 'NOT_FOUND');
  });
});

describe('menu', () => {
  it('creates items with defaults and serves the public menu grouped by category, without a token', async () => {
    const created = await api('POST', `/v1/restaurants/${a.restaurantId}/menu/items`, {
      token: tokens.OWNER,
      body: dish({ name: 'Tiramisu', category: 'Desserts', priceCents: 750, station: 'cold', allergens: ['milk', 'eggs'] }),
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      itemId: expect.any(String),
      name: 'Tiramisu',
      description: null,
      category: 'Desserts',
      priceCents: 750,
      station: 'COLD',
      available: true,
      allergens: ['milk', 'eggs'],
      dietary: [],
      course: 0,
      prepMinutes: null,
      kitchenName: null,
      optionGroups: [],
      translations: {},
      availableAgainAt: null,
    });
    const burger = await newItem();

    const menu = await api('GET', `/v1/restaurants/${a.restaurantId}/menu`);
    expect(menu.status).toBe(200);
    expect(menu.body.restaurant).toEqual({ restaurantId: a.restaurantId, name: 'Table Bistro', currency: 'EUR', languages: ['en'] });
    const desserts = menu.body.categories.find((c: { name: string }) => c.name === 'Desserts');
    expect(desserts.items).toContainEqual({
      itemId: created.body.itemId,
      name: 'Tiramisu',
      description: null,
      priceCents: 750,
      station: 'COLD',
      available: true,
      allergens: ['milk', 'eggs'],
      dietary: [],
      course: 0,
      optionGroups: [],
      availableAgainAt: null,
    });
    const mains = menu.body.categories.find((c: { name: string }) => c.name === 'Mains');
    expect(mains.items.map((i: { itemId: string }) => i.itemId)).toContain(burger.itemId);
  });

  it('keeps dietary tags, course, prep time and the kitchen name; guests see the tags and course only', async () => {
    const created = await api('POST', `/v1/restaurants/${a.restaurantId}/menu/items`, {
      token: tokens.OWNER,
      body: dish({ name: 'Lentil dal', category: 'Mains', dietary: ['vegan', 'gluten-free'], course: 2, prepMinutes: 12, kitchenName: 'DAL' }),
    });
    expect(created.body).toMatchObject({ dietary: ['vegan', 'gluten-free'], course: 2, prepMinutes: 12, kitchenName: 'DAL' });
    const changed = await api('PATCH', `/v1/restaurants/${a.restaurantId}/menu/items/${created.body.itemId}`, {
      token: tokens.MANAGER,
      body: { dietary: ['vegetarian'], prepMinutes: null },
    });
    expect(changed.body).toMatchObject({ dietary: ['vegetarian'], course: 2, prepMinutes: null, kitchenName: 'DAL' });
    const menu = await api('GET', `/v1/restaurants/${a.restaurantId}/menu`);
    const listed = menu.body.categories.flatMap((c: { items: { itemId: string }[] }) => c.items).find((i: { itemId: string }) => i.itemId === created.body.itemId);
    expect(listed).toMatchObject({ name: 'Lentil dal', dietary: ['vegetarian'], course: 2 });
    expect(listed).not.toHaveProperty('kitchenName');
    expect(listed).not.toHaveProperty('prepMinutes');
  });

  it('hides archived items from the menu, and refuses to change them', async () => {
    const item = await newItem({ name: 'Seasonal special' });
    const archived = await api('DELETE', `/v1/restaurants/${a.restaurantId}/menu/items/${item.itemId}`, { token: tokens.MANAGER });
    expect(archived.status).toBe(204);

    const menu = await api('GET', `/v1/restaurants/${a.restaurantId}/menu`);
    expect(JSON.stringify(menu.body)).not.toContain(item.itemId);
    const path = `/v1/restaurants/${a.restaurantId}/menu/items/${item.itemId}`;
    expectError(await api('PATCH', path, { token: tokens.MANAGER, body: { priceCents: 1 } }), 404, 'NOT_FOUND');
    expectError(await api('DELETE', path, { token: tokens.MANAGER }), 404, 'NOT_FOUND');
  });

  it('lets the kitchen 86 a dish but change nothing else; waiters change nothing', async () => {
    const item = await newItem();
    const path = `/v1/restaurants/${a.restaurantId}/menu/items/${item.itemId}`;

    const eightySixed = await api('PATCH', path, { token: tokens.KITCHEN, body: { available: false } });
    expect(eightySixed.status).toBe(200);
    expect(eightySixed.body).toMatchObject({ itemId: item.itemId, available: false, priceCents: 1650 });
    const menu = await api('GET', `/v1/restaurants/${a.restaurantId}/menu`);
    const listed = menu.body.categories.flatMap((c: { items: { itemId: string }[] }) => c.items).find((i: { itemId: string }) => i.itemId === item.itemId);
    expect(listed.available).toBe(false);

    expectError(await api('PATCH', path, { token: tokens.KITCHEN, body: { priceCents: 1 } }), 403, 'FORBIDDEN');
    expectError(await api('PATCH', path, { token: tokens.KITCHEN, body: { available: true, name: 'Cheap' } }), 403, 'FORBIDDEN');
    expectError(await api('PATCH', path, { token: tokens.WAITER, body: { available: true } }), 403, 'FORBIDDEN');
    expectError(await api('POST', `/v1/restaurants/${a.restaurantId}/menu/items`, { token: tokens.KITCHEN, body: dish() }), 403, 'FORBIDDEN');
    expectError(await api('POST', `/v1/restaurants/${a.restaurantId}/menu/items`, { token: tokens.WAITER, body: dish() }), 403, 'FORBIDDEN');
    expectError(await api('DELETE', path, { token: tokens.KITCHEN }), 403, 'FORBIDDEN');

    const repriced = await api('PATCH', path, { token: tokens.MANAGER, body: { priceCents: 1790, category: 'Burgers' } });
    expect(repriced.body).toMatchObject({ priceCents: 1790, category: 'Burgers', available: false });
  });

  it.each([
    ['a negative price', { priceCents: -1 }, 'body.priceCents'],
    ['a fractional price', { priceCents: 12.5 }, 'body.priceCents'],
    ['a price over 1,000,000', { priceCents: 1_000_001 }, 'body.priceCents'],
    ['a price as a string', { priceCents: '12' }, 'body.priceCents'],
    ['a missing station', { station: undefined }, 'body.station'],
    ['an empty name', { name: '' }, 'body.name'],
    ['an oversized name', { name: 'x'.repeat(121) }, 'body.name'],
    ['an oversized description', { description: 'x'.repeat(501) }, 'body.description'],
    ['an allergen that is not one of the 14 EU allergens', { allergens: ['x'.repeat(41)] }, 'body.allergens.0'],
    ['an allergen named twice', { allergens: ['milk', 'milk'] }, 'body.allergens'],
    ['an unknown dietary tag', { dietary: ['paleo'] }, 'body.dietary.0'],
    ['a course above 9', { course: 10 }, 'body.course'],
    ['a prep time of 0 minutes', { prepMinutes: 0 }, 'body.prepMinutes'],
    ['an empty kitchen name', { kitchenName: ' ' }, 'body.kitchenName'],
    ['an unknown field', { itemId: 'mine' }, 'body'],
  ])('refuses %s with 400 and writes nothing', async (_, overrides, path) => {
    const before = await api('GET', `/v1/restaurants/${a.restaurantId}/menu`);
    const response = await api('POST', `/v1/restaurants/${a.restaurantId}/menu/items`, { token: tokens.OWNER, body: dish(overrides) });
    expectError(response, 400, 'VALIDATION_FAILED');
    expect(response.body.error.details.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    expect((await api('GET', `/v1/restaurants/${a.restaurantId}/menu`)).body).toEqual(before.body);
  });

  it('refuses an empty or invalid patch', async () => {
    const item = await newItem();
    const path = `/v1/restaurants/${a.restaurantId}/menu/items/${item.itemId}`;
    expectError(await api('PATCH', path, { token: tokens.OWNER, body: {} }), 400, 'VALIDATION_FAILED');
    expectError(await api('PATCH', path, { token: tokens.OWNER, body: { priceCents: -3 } }), 400, 'VALIDATION_FAILED');
    expectError(await api('PATCH', `/v1/restaurants/${a.restaurantId}/menu/items/01NOSUCHITEM`, { token: tokens.OWNER, body: { available: true } }), 404, 'NOT_FOUND');
  });

  it('answers 404 for an unknown restaurant menu', async () => {
    expectError(await api('GET', '/v1/restaurants/01NOSUCHRESTAURANT/menu'), 404, 'NOT_FOUND');
  });
});

describe('tenancy and authentication', () => {
  it("answers another restaurant's tables and menu with 404", async () => {
    const table = await newTable();
    const item = await newItem();
    const attempts = [
      await api('GET', `/v1/restaurants/${a.restaurantId}/tables`, { token: b.ownerToken }),
      await api('POST', `/v1/restaurants/${a.restaurantId}/tables`, { token: b.ownerToken, body: { name: 'X' } }),
      await api('GET', `/v1/restaurants/${a.restaurantId}/tables/${table.tableId}/qr.svg`, { token: b.ownerToken }),
      await api('POST', `/v1/restaurants/${a.restaurantId}/tables/${table.tableId}/code`, { token: b.ownerToken }),
      await api('POST', `/v1/restaurants/${b.restaurantId}/tables/${table.tableId}/code`, { token: b.ownerToken }),
      await api('GET', `/v1/restaurants/${b.restaurantId}/tables/${table.tableId}/qr.svg`, { token: b.ownerToken }),
      await api('POST', `/v1/restaurants/${a.restaurantId}/menu/items`, { token: b.ownerToken, body: dish() }),
      await api('PATCH', `/v1/restaurants/${a.restaurantId}/menu/items/${item.itemId}`, { token: b.ownerToken, body: { available: false } }),
      await api('PATCH', `/v1/restaurants/${b.restaurantId}/menu/items/${item.itemId}`, { token: b.ownerToken, body: { available: false } }),
      await api('DELETE', `/v1/restaurants/${a.restaurantId}/menu/items/${item.itemId}`, { token: b.ownerToken }),
      await api('DELETE', `/v1/restaurants/${b.restaurantId}/menu/items/${item.itemId}`, { token: b.ownerToken }),
    ];
    for (const response of attempts) expectError(response, 404, 'NOT_FOUND');
    const menu = await api('GET', `/v1/restaurants/${a.restaurantId}/menu`);
    expect(JSON.stringify(menu.body)).toContain(item.itemId);
  });

  it('answers 401 without a token on every staff route', async () => {
    const paths: [string, string][] = [
      ['POST', `/v1/restaurants/${a.restaurantId}/tables`],
      ['GET', `/v1/restaurants/${a.restaurantId}/tables`],
      ['GET', `/v1/restaurants/${a.restaurantId}/tables/x/qr.svg`],
      ['POST', `/v1/restaurants/${a.restaurantId}/tables/x/code`],
      ['POST', `/v1/restaurants/${a.restaurantId}/menu/items`],
      ['PATCH', `/v1/restaurants/${a.restaurantId}/menu/items/x`],
      ['DELETE', `/v1/restaurants/${a.restaurantId}/menu/items/x`],
    ];
    for (const [method, path] of paths) expectError(await api(method, path), 401, 'UNAUTHENTICATED');
  });
});
