import { ulid } from 'ulid';
import * as z from 'zod';
import { DEFAULT_MAX_GUESTS_PER_SESSION, fetchRestaurant, putRestaurant } from '../db/restaurants';
import { transactWrite } from '../db/transact';
import type { Principal } from '../auth/principal';
import { NotFoundError } from '../errors';
import { newStaffItems } from '../staff/staff';
import { Password, Username } from '../contract/fields';
import type { Restaurant } from '../contract/responses';

export const CreateRestaurantInput = z.object({
  name: z.string().trim().min(1).max(120),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'Use an ISO 4217 code such as EUR.'),
  owner: Username,
  password: Password,
});
export type CreateRestaurantInput = z.infer<typeof CreateRestaurantInput>;

export type RestaurantView = z.infer<typeof Restaurant>;

export interface CreatedRestaurant {
  restaurantId: string;
  owner: { staffId: string; username: string };
}

/** A restaurant and its first OWNER, written together so neither exists without the other. */
export async function createRestaurant(input: CreateRestaurantInput, now: Date): Promise<CreatedRestaurant> {
  const restaurantId = ulid(now.getTime());
  const { staff, items } = await newStaffItems(
    restaurantId,
    { username: input.owner, password: input.password, role: 'OWNER' },
    now,
  );
  await transactWrite([
    putRestaurant({ restaurantId, name: input.name, currency: input.currency, createdAt: now.toISOString(), maxGuestsPerSession: DEFAULT_MAX_GUESTS_PER_SESSION }),
    ...items,
  ]);
  return { restaurantId, owner: { staffId: staff.staffId, username: staff.username } };
}

export async function getRestaurant(principal: Principal): Promise<RestaurantView> {
  const restaurant = await fetchRestaurant(principal.restaurantId);
  if (!restaurant) throw new NotFoundError();
  const { restaurantId, name, currency } = restaurant;
  return { restaurantId, name, currency };
}
