import * as z from 'zod';
import { Id } from '../core';

export const RestaurantParams = z.object({ restaurantId: Id });

export const TableParams = RestaurantParams.extend({ tableId: Id });

export const SessionParams = RestaurantParams.extend({ sessionId: Id });

export const MenuItemParams = RestaurantParams.extend({ itemId: Id });
