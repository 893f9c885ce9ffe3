import { ulid } from 'ulid';
import * as z from 'zod';
import { DEFAULT_DUE_SOON_MINUTES, DEFAULT_LANGUAGES, DEFAULT_MAX_GUESTS_PER_SESSION, fetchRestaurant, putRestaurant, writeRestaurantChanges } from '../db/restaurants';
import type { Restaurant as RestaurantItem } from '../db/restaurants';
import { transactWrite } from '../db/transact';
import type { Principal, StaffPrincipal } from '../auth/principal';
import { NotFoundError } from '../errors';
import { newStaffItems } from '../staff/staff';
import { Password, Username } from '../contract/fields';
import type { Restaurant, RestaurantSettings } from '../contract/responses';
import type { UpdateRestaurantBody } from '../contract/requests';
import { logger } from '../observability/logger';

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
export type RestaurantSettingsView = z.infer<typeof RestaurantSettings>;
export type RestaurantChangesInput = z.infer<typeof UpdateRestaurantBody>;

/** What guests see of a restaurant. */
export const toRestaurantView = ({ restaurantId, name, currency, languages }: RestaurantItem): RestaurantView => ({ restaurantId, name, currency, languages });
const toSettingsView = (restaurant: RestaurantItem): RestaurantSettingsView => ({
  ...toRestaurantView(restaurant),
  maxGuestsPerSession: restaurant.maxGuestsPerSession,
  coursing: restaurant.coursing,
  defaultPrepMinutes: restaurant.defaultPrepMinutes,
  dueSoonMinutes: restaurant.dueSoonMinutes,
});

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
    putRestaurant({ restaurantId, name: input.name, currency: input.currency, createdAt: now.toISOString(), maxGuestsPerSession: DEFAULT_MAX_GUESTS_PER_SESSION, languages: DEFAULT_LANGUAGES, coursing: false, defaultPrepMinutes: null, dueSoonMinutes: DEFAULT_DUE_SOON_MINUTES }),
    ...items,
  ]);
  return { restaurantId, owner: { staffId: staff.staffId, username: staff.username } };
}

export async function getRestaurant(principal: Principal): Promise<RestaurantSettingsView> {
  const restaurant = await fetchRestaurant(principal.restaurantId);
  if (!restaurant) throw new NotFoundError();
  return toSettingsView(restaurant);
}

/** Changes settings. Translations into a language that leaves `languages` stay stored but are no longer served. */
export async function updateRestaurant(actor: StaffPrincipal, changes: RestaurantChangesInput): Promise<RestaurantSettingsView> {
  const restaurant = await writeRestaurantChanges(actor.restaurantId, changes);
  if (!restaurant) throw new NotFoundError();
  logger.info('restaurant updated', { restaurantId: actor.restaurantId, fields: Object.keys(changes), by: actor.staffId });
  return toSettingsView(restaurant);
}
