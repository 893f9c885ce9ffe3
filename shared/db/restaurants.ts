import * as z from 'zod';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keys, menuIndex } from './keys';
import { named } from './transact';
import type { TransactItem } from './transact';
import { ENTITY } from './entities';

/** Guests a session admits unless the restaurant sets another number. */
export const DEFAULT_MAX_GUESTS_PER_SESSION = 20;
/** Minutes before its `dueAt` a ticket counts as due soon on the kitchen display, unless the restaurant says. */
export const DEFAULT_DUE_SOON_MINUTES = 2;
/** The menu's languages unless the restaurant sets others: its own (the first) and those items are translated into. */
export const DEFAULT_LANGUAGES = ['en'];

const RestaurantItem = z.object({
  restaurantId: z.string(),
  name: z.string(),
  currency: z.string(),
  createdAt: z.string(),
  maxGuestsPerSession: z.number().int().min(1).default(DEFAULT_MAX_GUESTS_PER_SESSION),
  languages: z.array(z.string()).min(1).default(DEFAULT_LANGUAGES),
  coursing: z.boolean().default(false),
  defaultPrepMinutes: z.number().int().nullable().default(null),
  dueSoonMinutes: z.number().int().min(1).default(DEFAULT_DUE_SOON_MINUTES),
});
export type Restaurant = z.infer<typeof RestaurantItem>;
export type RestaurantChanges = Partial<Pick<Restaurant, 'name' | 'maxGuestsPerSession' | 'languages' | 'coursing' | 'defaultPrepMinutes' | 'dueSoonMinutes'>>;

/** Put of a new restaurant profile (fails if the id exists). */
export function putRestaurant(restaurant: Restaurant): TransactItem {
  return named('restaurant', {
    Put: {
      TableName: tableName(),
      Item: {
        ...keys.restaurant(restaurant.restaurantId),
        gsi1pk: menuIndex.pk(restaurant.restaurantId),
        gsi1sk: menuIndex.profileSk,
        type: ENTITY.restaurant,
        ...restaurant,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
}

export async function fetchRestaurant(restaurantId: string): Promise<Restaurant | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.restaurant(restaurantId) }));
  return Item && toRestaurant(Item);
}

export const toRestaurant = (item: Record<string, unknown>): Restaurant => RestaurantItem.parse(item);

/** Applies settings to an existing restaurant; `undefined` when there is none. */
export async function writeRestaurantChanges(restaurantId: string, changes: RestaurantChanges): Promise<Restaurant | undefined> {
  const names = Object.keys(changes) as (keyof RestaurantChanges)[];
  try {
    const { Attributes } = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.restaurant(restaurantId),
        UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(names.map((name, i) => [`:v${i}`, changes[name]])),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes && toRestaurant(Attributes);
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}
