import { CreateMenuItemBody } from '../../shared/contract/requests';
import { randomUUID } from 'node:crypto';
import { authenticate } from '../../shared/auth/authenticate';
import type { GuestPrincipal, StaffPrincipal } from '../../shared/auth/principal';
import { loginStaff } from '../../shared/staff/login';
import { createMenuItem } from '../../shared/menu/menu';
import { createRestaurant } from '../../shared/restaurants/restaurants';
import { joinSession } from '../../shared/sessions/join';
import { openSession } from '../../shared/sessions/sessions';
import { createTable } from '../../shared/tables/tables';
import { strongPassword } from './restaurant';

/**
 * A restaurant with two dishes, a table and an open session, built through the domain functions
 * against DynamoDB Local; `guest()` joins with the PIN and returns the guest's principal.
 */
export async function diningTable(mode: 'FAMILY' | 'INDIVIDUAL' = 'FAMILY') {
  const now = new Date();
  const password = strongPassword();
  const { restaurantId } = await createRestaurant({ name: 'Order Bistro', currency: 'EUR', owner: 'owner', password }, now);
  const { token } = await loginStaff({ restaurantId, username: 'owner', password }, '203.0.113.1', now);
  const owner = (await authenticate(token, now)) as StaffPrincipal;
  const dish = (name: string, priceCents: number, station = 'GRILL') =>
    createMenuItem(owner, CreateMenuItemBody.parse({ name, category: 'Mains', priceCents, station }), now);
  const [burger, fries] = await Promise.all([dish('Burger', 1650), dish('Fries', 450, 'FRYER')]);
  const table = await createTable(owner, { name: 'Table 7' }, now);
  const session = await openSession(owner, table.tableId, { mode }, now);

  async function guest(guestName?: string): Promise<GuestPrincipal> {
    const joined = await joinSession({ tableCode: table.tableCode, pin: session.pin, guestName }, `203.0.113.${Math.floor(Math.random() * 250)}`, new Date());
    if (joined.status !== 201) throw new Error('the join was not admitted');
    return (await authenticate(joined.body.token, new Date())) as GuestPrincipal;
  }

  return { restaurantId, owner, burger, fries, table, session, guest };
}

export const newKey = () => `key-${randomUUID()}`;
