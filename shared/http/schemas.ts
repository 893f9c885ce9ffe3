import * as z from 'zod';

/** Opaque ids (ULIDs here); the bound keeps a hostile path from becoming an oversized key. */
export const Id = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/);

export const RestaurantParams = z.object({ restaurantId: Id });

export const TableParams = RestaurantParams.extend({ tableId: Id });

export const SessionParams = RestaurantParams.extend({ sessionId: Id });

export const MenuItemParams = RestaurantParams.extend({ itemId: Id });
