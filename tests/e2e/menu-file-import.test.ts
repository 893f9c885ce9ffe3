import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './support/http';
import { startRuntime } from './support/local-runtime';
import type { RunningRuntime } from './support/local-runtime';
import { staffFixtures } from './support/staff';
import type { TestRestaurant } from './support/staff';

/** POST …/menu/import: the back office's bulk import, checked whole before anything is written. */
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
});
