import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { MenuFile } from '../../shared/contract/requests';
import { importMenu } from '../../shared/menu/menu';
import { createRestaurant } from '../../shared/restaurants/restaurants';
import { createStaff } from '../../shared/staff/staff';
import { createTable } from '../../shared/tables/tables';
import type { StaffPrincipal } from '../../shared/auth/principal';
import type { Role } from '../../shared/core';

export interface DemoLogin {
  username: string;
  password: string;
  role: Role;
  station: string | null;
}

export interface DemoSeed {
  restaurantId: string;
  logins: DemoLogin[];
  tables: { name: string; orderUrl: string }[];
  menuItems: number;
}

/** The sample menu file that ships with the project (the same format `admin import-menu` takes). */
export const DEMO_MENU_FILE = new URL('./demo-menu.json', import.meta.url);

/**
 * A demo restaurant: one account per role (fresh random passwords), the sample menu imported
 * exactly as `npm run admin -- import-menu` does, and four tables.
 */
export async function seedDemo(now = new Date()): Promise<DemoSeed> {
  const password = () => randomBytes(9).toString('base64url');
  const owner: DemoLogin = { username: 'owner', password: password(), role: 'OWNER', station: null };
  const created = await createRestaurant(
    { name: 'Demo Bistro', currency: 'EUR', owner: owner.username, password: owner.password },
    now,
  );
  const actor: StaffPrincipal = {
    kind: 'staff',
    restaurantId: created.restaurantId,
    staffId: created.owner.staffId,
    role: 'OWNER',
    station: null,
    tokenHash: 'seed',
    expiresAt: new Date(now.getTime() + 60_000).toISOString(),
  };
  const others: DemoLogin[] = [
    { username: 'manager', password: password(), role: 'MANAGER', station: null },
    { username: 'waiter', password: password(), role: 'WAITER', station: null },
    { username: 'grill', password: password(), role: 'KITCHEN', station: 'GRILL' },
    { username: 'kitchen', password: password(), role: 'KITCHEN', station: null },
  ];
  for (const login of others) await createStaff(actor, login, now);

  const menu = MenuFile.parse(JSON.parse(await readFile(DEMO_MENU_FILE, 'utf8')));
  const menuItems = await importMenu(created.restaurantId, menu, now);
  const tables = [];
  for (const name of ['Table 1', 'Table 2', 'Table 3', 'Terrace 1']) {
    const table = await createTable(actor, { name }, now);
    tables.push({ name: table.name, orderUrl: table.orderUrl });
  }
  return { restaurantId: created.restaurantId, logins: [owner, ...others], tables, menuItems };
}
