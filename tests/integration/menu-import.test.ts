import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../../shared/auth/authenticate';
import type { StaffPrincipal } from '../../shared/auth/principal';
import { CreateMenuItemBody } from '../../shared/contract/requests';
import { queryMenu } from '../../shared/db/menu';
import { archiveMenuItem, createMenuItem, getPublicMenu, listMenuItems } from '../../shared/menu/menu';
import { createRestaurant } from '../../shared/restaurants/restaurants';
import { loginStaff } from '../../shared/staff/login';
import { runAdmin } from '../support/admin-cli';
import { strongPassword } from '../support/restaurant';

const dir = mkdtempSync(join(tmpdir(), 'menu-import-'));

function menuFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

async function newRestaurant() {
  return (await restaurantWithOwner()).restaurantId;
}

async function restaurantWithOwner() {
  const password = strongPassword();
  const { restaurantId } = await createRestaurant({ name: 'Import Bistro', currency: 'EUR', owner: 'owner', password }, new Date());
  const { token } = await loginStaff({ restaurantId, username: 'owner', password }, '203.0.113.9', new Date());
  return { restaurantId, owner: (await authenticate(token, new Date())) as StaffPrincipal };
}

const good = (name: string, category = 'Mains') => ({ name, category, priceCents: 1200, station: 'GRILL' });

describe('admin import-menu (DynamoDB Local)', () => {
  it('writes nothing when one entry is wrong, and names that entry', async () => {
    const restaurantId = await newRestaurant();
    const file = menuFile('bad.json', {
      items: [good('Burger'), good('Steak'), { name: 'Soup', category: 'Starters', priceCents: -5 }, good('Fries')],
    });

    const result = await runAdmin(['import-menu', '--restaurant', restaurantId, '--file', file]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/entry 3 \("Soup"\) priceCents/);
    expect(result.stderr).toMatch(/entry 3 \("Soup"\) station/);
    expect((await queryMenu(restaurantId)).items).toEqual([]);
  });

  it('refuses translations into a language neither the file nor the restaurant declares, naming the entry, and writes nothing', async () => {
    const restaurantId = await newRestaurant();
    const file = menuFile('french.json', { items: [good('Burger'), { ...good('Onion soup'), translations: { fr: { name: 'Soupe à l’oignon' } } }] });
    const result = await runAdmin(['import-menu', '--restaurant', restaurantId, '--file', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/entry 2 \("Onion soup"\) translations\.fr: fr is not one of the restaurant's languages/);
    const written = await queryMenu(restaurantId);
    expect(written.items).toEqual([]);
    expect(written.restaurant?.languages).toEqual(['en']);
  });

  it('imports a valid file in batches, keeping every entry', async () => {
    const restaurantId = await newRestaurant();
    const items = Array.from({ length: 60 }, (_, i) => good(`Dish ${i}`, i % 2 ? 'Mains' : 'Starters'));
    const result = await runAdmin(['import-menu', '--restaurant', restaurantId, '--file', menuFile('good.json', { items })]);

    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ restaurantId, imported: 60 });
    const menu = await queryMenu(restaurantId);
    expect(menu.items.map((item) => item.name).sort()).toEqual(items.map((item) => item.name).sort());
    expect(menu.items.every((item) => item.available && item.allergens.length === 0)).toBe(true);
  });

  it('imports the demo menu with its options, tags and courses, and reports progress on large files', async () => {
    const restaurantId = await newRestaurant();
    const demo = await runAdmin(['import-menu', '--restaurant', restaurantId, '--file', 'lib/local/demo-menu.json']);
    expect(demo.code, demo.stderr).toBe(0);
    const items = (await queryMenu(restaurantId)).items;
    const ribeye = items.find((item) => item.name === 'Ribeye 300 g');
    expect(ribeye).toMatchObject({ kitchenName: 'RIBEYE', course: 2 });
    expect(ribeye?.optionGroups.map((group) => `${group.name} ${group.minSelected}-${group.maxSelected}`)).toEqual(['Doneness 1-1', 'Side 1-1', 'Sauce 0-2']);
    expect(ribeye?.optionGroups.flatMap((group) => group.options.map((option) => option.optionId)).every((id) => /^[0-9A-Z]{26}$/.test(id))).toBe(true);
    expect(items.find((item) => item.name === 'Lemon sorbet')?.dietary).toEqual(['vegan', 'gluten-free']);
    // The file declares German: the restaurant gains it, and the German names are served.
    expect((await queryMenu(restaurantId)).restaurant?.languages).toEqual(['en', 'de']);
    const german = await getPublicMenu(restaurantId, 'de');
    expect(german.categories.find((category) => category.name === 'Vorspeisen')?.items.map((item) => item.name)).toContain('Tagessuppe');

    const large = Array.from({ length: 250 }, (_, i) => good(`Dish ${i}`));
    const result = await runAdmin(['import-menu', '--restaurant', await newRestaurant(), '--file', menuFile('large.json', { items: large })]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual(['imported 100 of 250', 'imported 200 of 250', 'imported 250 of 250']);
  });

  it("serves the menu in the restaurant's order, not the index's: categories as the file first uses them, dishes as written", async () => {
    const { restaurantId, owner } = await restaurantWithOwner();
    const demo = await runAdmin(['import-menu', '--restaurant', restaurantId, '--file', 'lib/local/demo-menu.json']);
    expect(demo.code, demo.stderr).toBe(0);
    const file = JSON.parse(readFileSync('lib/local/demo-menu.json', 'utf8')) as { items: { name: string; category: string }[] };
    const written = [...new Set(file.items.map((item) => item.category))];
    expect(written).toEqual(['Starters', 'Mains', 'Desserts', 'Drinks']);
    const shown = async (language?: string) =>
      (await getPublicMenu(restaurantId, language)).categories.map((category) => `${category.name}: ${category.items.map((item) => item.name).join(', ')}`);
    const byCategory = written.map((category) => `${category}: ${file.items.filter((item) => item.category === category).map((item) => item.name).join(', ')}`);
    expect(await shown()).toEqual(byCategory);
    expect((await shown('de')).map((line) => line.split(':')[0])).toEqual(['Vorspeisen', 'Hauptgerichte', 'Desserts', 'Drinks']);
    // The back office lists the same order.
    expect((await listMenuItems(owner)).items.map((item) => item.name)).toEqual(written.flatMap((category) => file.items.filter((item) => item.category === category).map((item) => item.name)));

    // A dish added later joins its category at the end; a new category comes last. When a category's
    // oldest dish is archived, the category keeps its place by its next oldest.
    await createMenuItem(owner, CreateMenuItemBody.parse(good('Carpaccio', 'Starters')), new Date());
    await createMenuItem(owner, CreateMenuItemBody.parse(good('Cheese board', 'Cheese')), new Date());
    const bruschetta = (await queryMenu(restaurantId)).items.find((item) => item.name === 'Bruschetta');
    await archiveMenuItem(owner, bruschetta?.itemId as string, new Date());
    const after = await shown();
    expect(after.map((line) => line.split(':')[0])).toEqual(['Starters', 'Mains', 'Desserts', 'Drinks', 'Cheese']);
    expect(after[0]).toBe('Starters: Soup of the day, Burrata, Carpaccio');
  });

  it('refuses an unknown restaurant and a file that is not JSON', async () => {
    const unknown = await runAdmin(['import-menu', '--restaurant', '01NOSUCHRESTAURANT00000000', '--file', menuFile('one.json', { items: [good('A')] })]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No restaurant/);

    const notJson = menuFile('broken.json', '');
    writeFileSync(notJson, '{ items: ');
    const broken = await runAdmin(['import-menu', '--restaurant', await newRestaurant(), '--file', notJson]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/cannot read .* as JSON/);
  });
});
