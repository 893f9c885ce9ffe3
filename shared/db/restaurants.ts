import * as z from 'zod';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keys, menuIndex } from './keys';
import { named } from './transact';
import type { TransactItem } from './transact';
import { ENTITY } from './entities';

/** Guests a session admits unless the restaurant sets another number. */
export const DEFAULT_MAX_GUESTS_PER_SESSION = 20;

const RestaurantItem = z.object({
  restaurantId: z.string(),
  name: z.string(),
  currency: z.string(),
  createdAt: z.string(),
  maxGuestsPerSession: z.number().int().min(1).default(DEFAULT_MAX_GUESTS_PER_SESSION),
});
export type Restaurant = z.infer<typeof RestaurantItem>;

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
