import * as z from 'zod';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchWrite, putRequest } from './batch';
import { db, tableName } from './client';
import { keys, menuIndex } from './keys';
import { queryIndexPartition } from './query';
import { toRestaurant } from './restaurants';
import type { Restaurant } from './restaurants';
import { named } from './transact';
import type { TransactItem } from './transact';
import { ENTITY } from './entities';
import { DIETARY_TAGS, EU_ALLERGENS } from '../contract/fields';

const MenuItemItem = z.object({
  restaurantId: z.string(),
  itemId: z.string(),
  name: z.string(),
  description: z.string().nullable().default(null),
  category: z.string(),
  priceCents: z.number(),
  station: z.string(),
  available: z.boolean(),
  allergens: z.array(z.enum(EU_ALLERGENS)).default([]),
  dietary: z.array(z.enum(DIETARY_TAGS)).default([]),
  course: z.number().int().default(0),
  prepMinutes: z.number().int().nullable().default(null),
  kitchenName: z.string().nullable().default(null),
  optionGroups: z
    .array(
      z.object({
        groupId: z.string(),
        name: z.string(),
        minSelected: z.number(),
        maxSelected: z.number(),
        options: z.array(z.object({ optionId: z.string(), name: z.string(), priceDeltaCents: z.number(), available: z.boolean() })),
      }),
    )
    .default([]),
  translations: z.record(z.string(), z.object({ name: z.string().optional(), description: z.string().nullable().optional(), category: z.string().optional() })).default({}),
  /** While a timed 86 runs: when its timer makes the item available again. */
  availableAgainAt: z.string().nullable().default(null),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Bumped by every change: a cart line keeps the revision it was priced at, and placement conditions on it. */
  revision: z.number().default(0),
  /** Set when archived: the item leaves the menu but stays readable by key. */
  archivedAt: z.string().optional(),
});
export type MenuItem = z.infer<typeof MenuItemItem>;

export type MenuItemChanges = Partial<
  Pick<
    MenuItem,
    'name' | 'description' | 'category' | 'priceCents' | 'station' | 'available' | 'allergens' | 'dietary' | 'course' | 'prepMinutes' | 'kitchenName' | 'optionGroups' | 'translations' | 'availableAgainAt'
  >
>;

export const toMenuItem = (item: Record<string, unknown>): MenuItem => MenuItemItem.parse(item);

const itemRecord = (item: MenuItem) => ({
  ...keys.menuItem(item.restaurantId, item.itemId),
  gsi1pk: menuIndex.pk(item.restaurantId),
  gsi1sk: menuIndex.itemSk(item.category, item.itemId),
  type: ENTITY.menuItem,
  ...item,
});

/** Condition that a menu item is live, available and unchanged since `revision` (price, name, station, allergens). */
export function menuItemUnchanged(restaurantId: string, itemId: string, revision: number): TransactItem {
  return named(`menuItem:${itemId}`, {
    ConditionCheck: {
      TableName: tableName(),
      Key: keys.menuItem(restaurantId, itemId),
      // Items written before revisions existed have none: they are at revision 0.
      ConditionExpression: `#available = :true AND ${revision === 0 ? '(attribute_not_exists(#revision) OR #revision = :revision)' : '#revision = :revision'} AND attribute_not_exists(archivedAt)`,
      ExpressionAttributeNames: { '#available': 'available', '#revision': 'revision' },
      ExpressionAttributeValues: { ':true': true, ':revision': revision },
    },
  });
}

/** Writes new menu items in batches of 25 (ids are fresh ULIDs, so nothing is overwritten). */
export async function putMenuItems(items: MenuItem[]): Promise<void> {
  await batchWrite(items.map((item) => putRequest(itemRecord(item))));
}

/** An item by id, archived or not (past orders still name archived items). */
export async function getMenuItem(restaurantId: string, itemId: string): Promise<MenuItem | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.menuItem(restaurantId, itemId) }));
  return Item && toMenuItem(Item);
}

/**
 * Applies changes to a live item; `undefined` when it does not exist or is archived. A category
 * change moves the item within the menu index.
 */
export async function writeMenuItemChanges(
  restaurantId: string,
  itemId: string,
  changes: MenuItemChanges,
  now: Date,
): Promise<MenuItem | undefined> {
  const fields: Record<string, unknown> = { ...changes, updatedAt: now.toISOString() };
  if (changes.category !== undefined) fields.gsi1sk = menuIndex.itemSk(changes.category, itemId);
  const names = Object.keys(fields);
  try {
    const { Attributes } = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.menuItem(restaurantId, itemId),
        UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :v${i}`).join(', ')} ADD #revision :one`,
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(archivedAt)',
        ExpressionAttributeNames: { ...Object.fromEntries(names.map((name, i) => [`#f${i}`, name])), '#revision': 'revision' },
        ExpressionAttributeValues: { ...Object.fromEntries(names.map((name, i) => [`:v${i}`, fields[name]])), ':one': 1 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes && toMenuItem(Attributes);
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/** Ends a timed 86 whose `availableAgainAt` is still the one given; false when it was ended or changed meanwhile. */
export async function writeMenuItemBack(restaurantId: string, itemId: string, availableAgainAt: string, now: Date): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.menuItem(restaurantId, itemId),
        UpdateExpression: 'SET #available = :true, availableAgainAt = :null, updatedAt = :now ADD #revision :one',
        ConditionExpression: 'availableAgainAt = :at AND attribute_not_exists(archivedAt)',
        ExpressionAttributeNames: { '#available': 'available', '#revision': 'revision' },
        ExpressionAttributeValues: { ':true': true, ':null': null, ':now': now.toISOString(), ':one': 1, ':at': availableAgainAt },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Archives a live item: it leaves the menu index; false when there was no live item. */
export async function writeMenuItemArchived(restaurantId: string, itemId: string, now: Date): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.menuItem(restaurantId, itemId),
        UpdateExpression: 'SET archivedAt = :now, updatedAt = :now REMOVE gsi1pk, gsi1sk ADD #revision :one',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(archivedAt)',
        ExpressionAttributeNames: { '#revision': 'revision' },
        ExpressionAttributeValues: { ':now': now.toISOString(), ':one': 1 },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * The public menu in one Query on gsi1: the restaurant profile sorts first (`#RESTAURANT`), then
 * the live items by category. Archived items have no gsi1 keys, so they are simply not there.
 */
export async function queryMenu(restaurantId: string): Promise<{ restaurant?: Restaurant; items: MenuItem[] }> {
  const [first, ...rest] = await queryIndexPartition(menuIndex.pk(restaurantId));
  if (first?.gsi1sk !== menuIndex.profileSk) return { items: [] };
  return { restaurant: toRestaurant(first), items: rest.map(toMenuItem) };
}
