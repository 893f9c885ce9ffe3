import { ulid } from 'ulid';
import * as z from 'zod';
import type { StaffPrincipal } from '../auth/principal';
import { fetchRestaurant } from '../db/restaurants';
import { writeMenuItemArchived, putMenuItems, queryMenu, writeMenuItemChanges } from '../db/menu';
import type { MenuItem } from '../db/menu';
import { NotFoundError } from '../errors';
import { assertMayChangeMenuItem } from '../auth/permissions';
import { withIds } from './options';
import { logger } from '../observability/logger';
import { CreateMenuItemBody } from '../contract/requests';
import type { UpdateMenuItemBody } from '../contract/requests';
import type { MenuItem as MenuItemSchema, PublicMenu as PublicMenuSchema } from '../contract/responses';

export type CreateMenuItemInput = z.infer<typeof CreateMenuItemBody>;
export type UpdateMenuItemInput = z.infer<typeof UpdateMenuItemBody>;

export type MenuItemView = z.infer<typeof MenuItemSchema>;

export const toMenuItemView = (item: MenuItem): MenuItemView => ({
  itemId: item.itemId,
  name: item.name,
  description: item.description,
  category: item.category,
  priceCents: item.priceCents,
  station: item.station,
  available: item.available,
  allergens: item.allergens,
  dietary: item.dietary,
  course: item.course,
  prepMinutes: item.prepMinutes,
  kitchenName: item.kitchenName,
  optionGroups: item.optionGroups,
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
  dietary: input.dietary,
  course: input.course,
  prepMinutes: input.prepMinutes,
  kitchenName: input.kitchenName,
  optionGroups: withIds(input.optionGroups, now),
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

/** Changes a live item (the kitchen only its availability). */
export async function updateMenuItem(
  actor: StaffPrincipal,
  itemId: string,
  changes: UpdateMenuItemInput,
  now: Date,
): Promise<MenuItemView> {
  assertMayChangeMenuItem(actor, Object.keys(changes));
  const { optionGroups, ...rest } = changes;
  const item = await writeMenuItemChanges(actor.restaurantId, itemId, optionGroups ? { ...rest, optionGroups: withIds(optionGroups, now) } : rest, now);
  if (!item) throw new NotFoundError();
  logger.info('menu item updated', { restaurantId: actor.restaurantId, itemId, fields: Object.keys(changes), by: actor.staffId });
  return toMenuItemView(item);
}

export async function archiveMenuItem(actor: StaffPrincipal, itemId: string, now: Date): Promise<void> {
  if (!(await writeMenuItemArchived(actor.restaurantId, itemId, now))) throw new NotFoundError();
  logger.info('menu item archived', { restaurantId: actor.restaurantId, itemId, by: actor.staffId });
}

export type PublicMenu = z.infer<typeof PublicMenuSchema>;

/** The menu guests read without logging in: live items grouped by category, from one Query. */
export async function getPublicMenu(restaurantId: string): Promise<PublicMenu> {
  const { restaurant, items } = await queryMenu(restaurantId);
  if (!restaurant) throw new NotFoundError();
  const categories = new Map<string, PublicMenu['categories'][number]['items']>();
  for (const item of items) {
    // Guests see neither the category (it groups them) nor what only the kitchen works with.
    const { category, prepMinutes: _prep, kitchenName: _kitchen, ...view } = toMenuItemView(item);
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
export async function importMenu(
  restaurantId: string,
  file: MenuFileInput,
  now: Date,
  onProgress: (written: number, total: number) => void = () => undefined,
): Promise<number> {
  if (!(await fetchRestaurant(restaurantId))) throw new NotFoundError(`No restaurant ${restaurantId}.`);
  // One millisecond apart, so ULIDs keep the file's order.
  const items = file.items.map((input, i) => newMenuItem(restaurantId, input, new Date(now.getTime() + i)));
  for (let written = 0; written < items.length; written += IMPORT_CHUNK) {
    await putMenuItems(items.slice(written, written + IMPORT_CHUNK));
    onProgress(Math.min(written + IMPORT_CHUNK, items.length), items.length);
  }
  return items.length;
}

/** Items written between two progress reports of an import. */
const IMPORT_CHUNK = 100;
