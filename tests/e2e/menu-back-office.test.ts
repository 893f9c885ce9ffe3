import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './support/http';
import { startRuntime } from './support/local-runtime';
import type { RunningRuntime } from './support/local-runtime';
import { staffFixtures } from './support/staff';
import type { TestRestaurant } from './support/staff';

/** The back office's menu routes: GET …/menu/items (what editors see) and POST …/menu/import (checked whole before anything is written). */
let runtime: RunningRuntime;
const { api, createRestaurantWithCli, hire } = staffFixtures(() => runtime);
let a: TestRestaurant;
let b: TestRestaurant;

beforeAll(async () => {
  runtime = await startRuntime();
  [a, b] = await Promise.all([createRestaurantWithCli('Import Bistro'), createRestaurantWithCli('Other Bistro')]);
});
afterAll(async () => runtime?.stop());

const row = (name: string, overrides: Record<string, unknown> = {}) => ({ name, category: 'Mains', priceCents: 1200, station: 'GRILL', ...overrides });
const importTo = (restaurantId: string, body: unknown, token?: string) => api('POST', `/v1/restaurants/${restaurantId}/menu/import`, { token, body });
const menuNames = async (restaurantId: string) =>
  (await api('GET', `/v1/restaurants/${restaurantId}/menu`)).body.categories.flatMap((category: { items: { name: string }[] }) => category.items.map((item) => item.name));

describe('importing a menu file', () => {
  it('writes every row of a good file, in its order', async () => {
    const answer = await importTo(a.restaurantId, { items: [row('Goulash'), row('Strudel', { category: 'Desserts', priceCents: 650, optionGroups: [{ name: 'Cream', minSelected: 0, maxSelected: 1, options: [{ name: 'Whipped', priceDeltaCents: 50 }] }] })] }, a.ownerToken);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ imported: 2 });
    expect(await menuNames(a.restaurantId)).toEqual(expect.arrayContaining(['Goulash', 'Strudel']));
  });

  it('writes nothing when one row is wrong, and names each bad row and field', async () => {
    const before = await menuNames(a.restaurantId);
    const answer = await importTo(a.restaurantId, { items: [row('Fine soup'), row('Free lunch', { priceCents: -5 }), row('', { station: 'GRILL' })] }, a.ownerToken);
    expectError(answer, 400, 'VALIDATION_FAILED');
    const paths = answer.body.error.details.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['body.items.1.priceCents', 'body.items.2.name']));
    expect(paths.every((path: string) => /^body\.items\.[12]\./.test(path))).toBe(true);
    expect(await menuNames(a.restaurantId)).toEqual(before);
  });

  it('refuses no token, the wrong role and another restaurant\'s staff, and changes nothing', async () => {
    const file = { items: [row('Intruder')] };
    expectError(await importTo(a.restaurantId, file), 401, 'UNAUTHENTICATED');
    for (const role of ['WAITER', 'KITCHEN'] as const) expectError(await importTo(a.restaurantId, file, (await hire(a, role)).token), 403, 'FORBIDDEN');
    expectError(await importTo(a.restaurantId, file, b.ownerToken), 404, 'NOT_FOUND');
    expect(await menuNames(a.restaurantId)).not.toContain('Intruder');
  });

  it('lists every live item with what only staff see, to the menu\'s editors only', async () => {
    const created = await api('POST', `/v1/restaurants/${a.restaurantId}/menu/items`, {
      token: a.ownerToken,
      body: row('Tafelspitz', { prepMinutes: 25, kitchenName: 'TAFEL', course: 2 }),
    });
    const listed = await api('GET', `/v1/restaurants/${a.restaurantId}/menu/items`, { token: (await hire(a, 'KITCHEN')).token });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual(expect.objectContaining({ itemId: created.body.itemId, category: 'Mains', prepMinutes: 25, kitchenName: 'TAFEL', course: 2, translations: {} }));
    await api('DELETE', `/v1/restaurants/${a.restaurantId}/menu/items/${created.body.itemId}`, { token: a.ownerToken });
    expect((await api('GET', `/v1/restaurants/${a.restaurantId}/menu/items`, { token: a.ownerToken })).body.items.map((item: { itemId: string }) => item.itemId)).not.toContain(created.body.itemId);

    const path = `/v1/restaurants/${a.restaurantId}/menu/items`;
    expectError(await api('GET', path), 401, 'UNAUTHENTICATED');
    expectError(await api('GET', path, { token: (await hire(a, 'WAITER')).token }), 403, 'FORBIDDEN');
    expectError(await api('GET', path, { token: b.ownerToken }), 404, 'NOT_FOUND');
    const table = (await api('POST', `/v1/restaurants/${a.restaurantId}/tables`, { token: a.ownerToken, body: { name: 'T' } })).body;
    const { pin } = (await api('POST', `/v1/restaurants/${a.restaurantId}/tables/${table.tableId}/sessions`, { token: a.ownerToken, body: { mode: 'FAMILY' } })).body;
    const guest = (await api('POST', '/v1/sessions/join', { body: { tableCode: table.tableCode, pin } })).body.token;
    expectError(await api('GET', path, { token: guest }), 403, 'FORBIDDEN');
  });
});
