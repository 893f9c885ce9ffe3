import { ulid } from 'ulid';
import * as z from 'zod';
import type { StaffPrincipal } from '../auth/principal';
import { fetchRestaurant } from '../db/restaurants';
import { writeMenuItemArchived, putMenuItems, queryMenu, writeMenuItemChanges } from '../db/menu';
import type { MenuItem } from '../db/menu';
import { ForbiddenError, NotFoundError } from '../errors';
import { logger } from '../observability/logger';
import { Station } from '../staff/staff';

const fields = {
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(500).nullable(),
  category: z.string().trim().min(1).max(60),
  priceCents: z.number().int().min(0).max(1_000_000),
  station: Station,
  available: z.boolean(),
  allergens: z.array(z.string().trim().min(1).max(40)).max(20),
};

/** A new menu item: `available` defaults to true, `allergens` to none. Prices are integer cents. */
export const CreateMenuItemBody = z.strictObject({
  ...fields,
  description: fields.description.optional(),
  available: fields.available.default(true),
  allergens: fields.allergens.default([]),
});
export type CreateMenuItemInput = z.infer<typeof CreateMenuItemBody>;

export const UpdateMenuItemBody = z
  .strictObject(fields)
  .partial()
  .refine((changes) => Object.keys(changes).length > 0, { message: 'Change at least one field.' });
export type UpdateMenuItemInput = z.infer<typeof UpdateMenuItemBody>;

export type MenuItemView = Pick<
  MenuItem,
  'itemId' | 'name' | 'description' | 'category' | 'priceCents' | 'station' | 'available' | 'allergens'
>;

export const toMenuItemView = (item: MenuItem): MenuItemView => ({
  itemId: item.itemId,
  name: item.name,
  description: item.description,
  category: item.category,
  priceCents: item.priceCents,
  station: item.station,
  available: item.available,
  allergens: item.allergens,
});

const newMenuItem = (restaurantId: string, input: CreateMenuItemInput, now: Date): MenuItem => ({
  restaurantId,
  itemId: ulid(now.getTime()),
  name: input.name,
  description: input.description ?? null,
  category: input.category,
  priceCents: input.priceCents,
  station: input.station,
  available: input.available,
  allergens: input.allergens,
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
  revision: 0,
});

export async function createMenuItem(actor: StaffPrincipal, input: CreateMenuItemInput, now: Date): Promise<MenuItemView> {
  const item = newMenuItem(actor.restaurantId, input, now);
  await putMenuItems([item]);
  logger.info('menu item created', { restaurantId: actor.restaurantId, itemId: item.itemId, by: actor.staffId });
  return toMenuItemView(item);
}

/** Changes a live item. The kitchen may only mark items (un)available: it 86es dishes from the line. */
export async function updateMenuItem(
  actor: StaffPrincipal,
  itemId: string,
  changes: UpdateMenuItemInput,
  now: Date,
): Promise<MenuItemView> {
  if (actor.role === 'KITCHEN' && Object.keys(changes).some((field) => field !== 'available')) {
    throw new ForbiddenError('Kitchen accounts may only change `available`.');
  }
  const item = await writeMenuItemChanges(actor.restaurantId, itemId, changes, now);
  if (!item) throw new NotFoundError();
  logger.info('menu item updated', { restaurantId: actor.restaurantId, itemId, fields: Object.keys(changes), by: actor.staffId });
  return toMenuItemView(item);
}

export async function archiveMenuItem(actor: StaffPrincipal, itemId: string, now: Date): Promise<void> {
  if (!(await writeMenuItemArchived(actor.restaurantId, itemId, now))) throw new NotFoundError();
  logger.info('menu item archived', { restaurantId: actor.restaurantId, itemId, by: actor.staffId });
}

export interface PublicMenu {
  restaurant: { restaurantId: string; name: string; currency: string };
  categories: { name: string; items: Omit<MenuItemView, 'category'>[] }[];
}

/** The menu guests read without logging in: live items grouped by category, from one Query. */
export async function getPublicMenu(restaurantId: string): Promise<PublicMenu> {
  const { restaurant, items } = await queryMenu(restaurantId);
  if (!restaurant) throw new NotFoundError();
  const categories = new Map<string, Omit<MenuItemView, 'category'>[]>();
  for (const item of items) {
    const { category, ...view } = toMenuItemView(item);
    categories.set(category, [...(categories.get(category) ?? []), view]);
  }
  return {
    restaurant: { restaurantId: restaurant.restaurantId, name: restaurant.name, currency: restaurant.currency },
    categories: [...categories].map(([name, categoryItems]) => ({ name, items: categoryItems })),
  };
}

/** A whole menu file: validated entirely before anything is written. */
export const MenuFile = z.strictObject({ items: z.array(CreateMenuItemBody).min(1).max(2000) });
export type MenuFileInput = z.infer<typeof MenuFile>;

/**
 * Imports a validated menu file into a restaurant, in batches. Returns the number of items written.
 * The caller validates with {@link MenuFile} first, so a bad entry means nothing is written.
 */
export async function importMenu(restaurantId: string, file: MenuFileInput, now: Date): Promise<number> {
  if (!(await fetchRestaurant(restaurantId))) throw new NotFoundError(`No restaurant ${restaurantId}.`);
  // One millisecond apart, so ULIDs keep the file's order.
  await putMenuItems(file.items.map((input, i) => newMenuItem(restaurantId, input, new Date(now.getTime() + i))));
  return file.items.length;
}
