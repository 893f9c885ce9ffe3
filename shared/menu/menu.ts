import { ulid } from 'ulid';
import type * as z from 'zod';
import type { StaffPrincipal } from '../auth/principal';
import { fetchRestaurant, writeRestaurantChanges } from '../db/restaurants';
import { toRestaurantView } from '../restaurants/restaurants';
import { writeMenuItemArchived, putMenuItems, queryMenu, writeMenuItemBack, writeMenuItemChanges } from '../db/menu';
import type { MenuItem, MenuItemChanges } from '../db/menu';
import type { Restaurant } from '../db/restaurants';
import { NotFoundError, ValidationError } from '../errors';
import type { ValidationIssue } from '../errors';
import { scheduleAvailableAgain } from './timers';
import type { AvailabilityTimerEvent } from './timers';
import { assertMayChangeMenuItem } from '../auth/permissions';
import { withIds } from './options';
import { logger } from '../observability/logger';
import type { CreateMenuItemBody, MenuFile } from '../contract/requests';
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
  translations: item.translations,
  availableAgainAt: item.availableAgainAt,
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
  translations: input.translations,
  availableAgainAt: input.availableAgainAt,
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
  revision: 0,
});

/** How far ahead a timed 86 may end. */
const MAX_86_DAYS = 30;

/** A timed 86's end, rounded up to a whole second (what a schedule can say); refused unless ahead and within {@link MAX_86_DAYS}. */
function backAt(availableAgainAt: string, now: Date): string {
  const at = Math.ceil(Date.parse(availableAgainAt) / 1000) * 1000;
  if (at <= now.getTime() || at > now.getTime() + MAX_86_DAYS * 86_400_000) {
    throw new ValidationError([{ path: 'availableAgainAt', message: `Give a time in the next ${MAX_86_DAYS} days.` }]);
  }
  return new Date(at).toISOString();
}

/** Translations only into the restaurant's languages other than its first, which is the menu's own. */
function translationIssues(translations: Record<string, unknown>, restaurant: Restaurant, path = 'translations'): ValidationIssue[] {
  const [own, ...others] = restaurant.languages;
  return Object.keys(translations).flatMap((language) => {
    if (language === own) return [{ path: `${path}.${language}`, message: `${language} is the menu's own language: write it in name and description.` }];
    if (!others.includes(language)) return [{ path: `${path}.${language}`, message: `${language} is not one of the restaurant's languages (${restaurant.languages.join(', ')}): add it in the settings first.` }];
    return [];
  });
}

async function checkTranslations(restaurantId: string, translations: Record<string, unknown> | undefined): Promise<void> {
  if (!translations || Object.keys(translations).length === 0) return;
  const restaurant = await fetchRestaurant(restaurantId);
  if (!restaurant) throw new NotFoundError();
  const issues = translationIssues(translations, restaurant);
  if (issues.length) throw new ValidationError(issues);
}

/**
 * The stored changes an edit makes to availability: a timed 86 is scheduled before it is written (so
 * none is ever stored without its timer), and any other change of `available` ends the timer's hold.
 */
async function availabilityChanges(restaurantId: string, itemId: string, changes: Pick<MenuItemChanges, 'available' | 'availableAgainAt'>, now: Date): Promise<Pick<MenuItemChanges, 'available' | 'availableAgainAt'>> {
  if (changes.availableAgainAt) {
    const availableAgainAt = backAt(changes.availableAgainAt, now);
    await scheduleAvailableAgain({ restaurantId, itemId, availableAgainAt });
    return { available: false, availableAgainAt };
  }
  if (changes.available !== undefined) return { available: changes.available, availableAgainAt: null };
  return changes.availableAgainAt === null ? { availableAgainAt: null } : {};
}

export async function createMenuItem(actor: StaffPrincipal, input: CreateMenuItemInput, now: Date): Promise<MenuItemView> {
  await checkTranslations(actor.restaurantId, input.translations);
  const draft = newMenuItem(actor.restaurantId, input, now);
  const item = { ...draft, ...(await availabilityChanges(actor.restaurantId, draft.itemId, input, now)) };
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
  await checkTranslations(actor.restaurantId, changes.translations);
  const { optionGroups, available, availableAgainAt, ...rest } = changes;
  const item = await writeMenuItemChanges(
    actor.restaurantId,
    itemId,
    {
      ...rest,
      ...(optionGroups ? { optionGroups: withIds(optionGroups, now) } : {}),
      ...(await availabilityChanges(actor.restaurantId, itemId, { available, availableAgainAt }, now)),
    },
    now,
  );
  if (!item) throw new NotFoundError();
  logger.info('menu item updated', { restaurantId: actor.restaurantId, itemId, fields: Object.keys(changes), by: actor.staffId });
  return toMenuItemView(item);
}

export async function archiveMenuItem(actor: StaffPrincipal, itemId: string, now: Date): Promise<void> {
  if (!(await writeMenuItemArchived(actor.restaurantId, itemId, now))) throw new NotFoundError();
  logger.info('menu item archived', { restaurantId: actor.restaurantId, itemId, by: actor.staffId });
}

export type PublicMenu = z.infer<typeof PublicMenuSchema>;

/**
 * The live items in the restaurant's own order: categories in the order it first used them, dishes in
 * the order they were added (item ids are time-sorted; an import spaces them a millisecond apart). The
 * index gives each category's dishes in id order, but the categories by name, which would put a menu
 * written as Starters, Mains, Desserts in the order Desserts, Mains, Starters: the categories are
 * sorted again by their oldest dish, the first of each.
 */
async function menuInOrder(restaurantId: string): Promise<{ restaurant?: Restaurant; items: MenuItem[] }> {
  const { restaurant, items } = await queryMenu(restaurantId);
  const categories = [...Map.groupBy(items, (item) => item.category).values()];
  return { restaurant, items: categories.sort(([a], [b]) => ((a?.itemId ?? '') < (b?.itemId ?? '') ? -1 : 1)).flat() };
}

/**
 * The menu guests read without logging in: live items grouped by category, from one Query. In
 * `language` (one of the restaurant's), names, descriptions and category names come from the items'
 * translations where they have one; a category is named by the first of its items that translates it.
 */
export async function getPublicMenu(restaurantId: string, language?: string): Promise<PublicMenu> {
  const { restaurant, items } = await menuInOrder(restaurantId);
  if (!restaurant) throw new NotFoundError();
  const served = language && restaurant.languages.slice(1).includes(language) ? language : undefined;
  const categories = new Map<string, { name: string; items: PublicMenu['categories'][number]['items'] }>();
  for (const item of items) {
    const translation = served ? item.translations[served] : undefined;
    // Guests see neither the category (it groups them) nor what only the kitchen works with, nor other languages.
    const { category, prepMinutes: _prep, kitchenName: _kitchen, translations: _translations, ...view } = toMenuItemView(item);
    const group = categories.get(category) ?? { name: category, items: [] };
    if (group.name === category && translation?.category) group.name = translation.category;
    group.items.push({ ...view, name: translation?.name ?? view.name, description: translation?.description !== undefined ? translation.description : view.description });
    categories.set(category, group);
  }
  return { restaurant: toRestaurantView(restaurant), categories: [...categories.values()] };
}

/** The menu as its editors work on it: every live item with what only staff see (category, prep time, the kitchen's name, translations). Same Query as the public menu. */
export async function listMenuItems(actor: StaffPrincipal): Promise<{ items: MenuItemView[] }> {
  const { items } = await menuInOrder(actor.restaurantId);
  return { items: items.map(toMenuItemView) };
}

/**
 * What a timed 86's schedule runs when it fires: the item is available again, unless the 86 was ended
 * or changed meanwhile (then its `availableAgainAt` no longer matches and nothing is written).
 */
export async function endTimed86(timer: AvailabilityTimerEvent, now: Date): Promise<void> {
  const back = await writeMenuItemBack(timer.restaurantId, timer.itemId, timer.availableAgainAt, now);
  logger.info(back ? 'menu item available again' : 'timed 86 no longer current', { restaurantId: timer.restaurantId, itemId: timer.itemId });
}

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
  const found = await fetchRestaurant(restaurantId);
  if (!found) throw new NotFoundError(`No restaurant ${restaurantId}.`);
  const languages = [...new Set([...found.languages, ...(file.languages ?? [])])];
  const restaurant = { ...found, languages };
  const issues = file.items.flatMap((item, i) => [
    ...(i === 0 && file.languages && file.languages[0] !== found.languages[0]
      ? [{ path: 'languages', message: `The file is written in ${file.languages[0]}, the restaurant's menu in ${found.languages[0]}.` }]
      : []),
    ...translationIssues(item.translations, restaurant, `items.${i}.translations`),
    ...(item.availableAgainAt ? [{ path: `items.${i}.availableAgainAt`, message: 'Timed 86s are set through the API, where they are scheduled.' }] : []),
  ]);
  if (issues.length) throw new ValidationError(issues);
  if (languages.length > found.languages.length) await writeRestaurantChanges(restaurantId, { languages });
  // One millisecond apart, so ULIDs keep the file's order.
  const items = file.items.map((input, i) => newMenuItem(restaurantId, input, new Date(now.getTime() + i)));
  for (let written = 0; written < items.length; written += IMPORT_CHUNK) {
    await putMenuItems(items.slice(written, written + IMPORT_CHUNK));
    onProgress(Math.min(written + IMPORT_CHUNK, items.length), items.length);
  }
  return items.length;
}

/** A menu file uploaded from the back office: checked whole, then written (nothing when any row is wrong). */
export async function importMenuFile(actor: StaffPrincipal, file: MenuFileInput, now: Date): Promise<{ imported: number }> {
  const imported = await importMenu(actor.restaurantId, file, now);
  logger.info('menu imported', { restaurantId: actor.restaurantId, items: imported, by: actor.staffId });
  return { imported };
}

/** Items written between two progress reports of an import. */
const IMPORT_CHUNK = 100;
