import { randomBytes } from 'node:crypto';
import { createRestaurant } from '../../shared/restaurants/restaurants';
import { createStaff } from '../../shared/staff/staff';
import type { StaffPrincipal } from '../../shared/auth/principal';
import type { Role } from '../../shared/http/routes';

export interface DemoLogin {
  username: string;
  password: string;
  role: Role;
  station: string | null;
}

export interface DemoSeed {
  restaurantId: string;
  logins: DemoLogin[];
}

/** A demo restaurant with one account per role, each with a fresh random password. */
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
  };
  const others: DemoLogin[] = [
    { username: 'manager', password: password(), role: 'MANAGER', station: null },
    { username: 'waiter', password: password(), role: 'WAITER', station: null },
    { username: 'grill', password: password(), role: 'KITCHEN', station: 'GRILL' },
    { username: 'kitchen', password: password(), role: 'KITCHEN', station: null },
  ];
  for (const login of others) await createStaff(actor, login, now);
  return { restaurantId: created.restaurantId, logins: [owner, ...others] };
}
