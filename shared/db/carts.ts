import * as z from 'zod';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keys } from './keys';
import { named } from './transact';
import type { TransactItem } from './transact';
import { ENTITY } from './entities';

/** The owner of a FAMILY session's one shared cart; an INDIVIDUAL cart's owner is its guest id. */
export const FAMILY_CART = 'FAMILY';

/** An option on a line, as priced. */
export const ChosenOptionItem = z.object({ groupId: z.string(), groupName: z.string(), optionId: z.string(), name: z.string(), priceDeltaCents: z.number() });

export const CartLineItem = z.object({
  lineId: z.string(),
  itemId: z.string(),
  name: z.string(),
  quantity: z.number(),
  unitPriceCents: z.number(),
  notes: z.string().nullable(),
  /** The options chosen, as priced when the line was added or changed. */
  options: z.array(ChosenOptionItem).default([]),
  addedBy: z.string(),
  addedAt: z.string(),
  /** What the kitchen needs of the dish, as the menu had it at `menuRevision`. */
  station: z.string().optional(),
  allergens: z.array(z.string()).optional(),
  course: z.number().optional(),
  kitchenName: z.string().nullable().optional(),
  prepMinutes: z.number().nullable().optional(),
  /** The menu item's revision this line was priced at: placement orders at it while the menu is unchanged. */
  menuRevision: z.number().optional(),
});
export type CartLine = z.infer<typeof CartLineItem>;

const CartItem = z.object({
  sessionId: z.string(),
  owner: z.string(),
  version: z.number(),
  /** A map keyed by line id in the table; in the order they were added here (line ids are ULIDs). */
  lines: z
    .record(z.string(), CartLineItem)
    .default({})
    .transform((lines) => Object.values(lines).sort((a, b) => a.lineId.localeCompare(b.lineId))),
});
export type Cart = z.infer<typeof CartItem>;

/**
 * A cart is one item whose lines are a map keyed by line id: each change is a single UpdateItem
 * on one line that also bumps `version`, so changes from several phones never overwrite each other.
 */
export const toCart = (item: Record<string, unknown>): Cart => CartItem.parse(item);

/** `lines` is a DynamoDB reserved word; both are always aliased. */
const names = { '#lines': 'lines', '#version': 'version' };

/** An empty cart, created with its session (FAMILY) or its guest (INDIVIDUAL). */
export function putEmptyCart(sessionId: string, owner: string): TransactItem {
  return named('newCart', {
    Put: {
      TableName: tableName(),
      Item: { ...keys.cart(sessionId, owner), type: ENTITY.cart, sessionId, owner, version: 0, lines: {} },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
}

export async function fetchCart(sessionId: string, owner: string): Promise<Cart | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.cart(sessionId, owner), ConsistentRead: true }));
  return Item && toCart(Item);
}

/** Runs one conditional update of the cart; `undefined` when its condition does not hold. */
async function updateCart(input: Omit<UpdateCommandInput, 'TableName' | 'ReturnValues'>): Promise<Cart | undefined> {
  try {
    const { Attributes } = await db().send(new UpdateCommand({ ...input, TableName: tableName(), ReturnValues: 'ALL_NEW' }));
    return Attributes && toCart(Attributes);
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/** Adds a line unless the cart already has `maxLines`. */
export function addCartLine(sessionId: string, owner: string, line: CartLine, maxLines: number) {
  return updateCart({
    Key: keys.cart(sessionId, owner),
    UpdateExpression: 'SET #lines.#line = :line ADD #version :one',
    ConditionExpression: 'attribute_exists(pk) AND size(#lines) < :max',
    ExpressionAttributeNames: { ...names, '#line': line.lineId },
    ExpressionAttributeValues: { ':line': line, ':one': 1, ':max': maxLines },
  });
}

/** Changes quantity and/or notes of an existing line. */
export function updateCartLine(sessionId: string, owner: string, lineId: string, changes: Partial<Omit<CartLine, 'lineId' | 'itemId' | 'addedBy' | 'addedAt'>>) {
  const fields = Object.entries(changes).filter(([, value]) => value !== undefined);
  return updateCart({
    Key: keys.cart(sessionId, owner),
    UpdateExpression: `SET ${fields.map(([field]) => `#lines.#line.#${field} = :${field}`).join(', ')} ADD #version :one`,
    ConditionExpression: 'attribute_exists(#lines.#line)',
    ExpressionAttributeNames: { ...names, '#line': lineId, ...Object.fromEntries(fields.map(([field]) => [`#${field}`, field])) },
    ExpressionAttributeValues: { ':one': 1, ...Object.fromEntries(fields.map(([field, value]) => [`:${field}`, value])) },
  });
}

export function removeCartLine(sessionId: string, owner: string, lineId: string) {
  return updateCart({
    Key: keys.cart(sessionId, owner),
    UpdateExpression: 'REMOVE #lines.#line ADD #version :one',
    ConditionExpression: 'attribute_exists(#lines.#line)',
    ExpressionAttributeNames: { ...names, '#line': lineId },
    ExpressionAttributeValues: { ':one': 1 },
  });
}

/** Empties the cart if it is still at `version` (the order placement's cart condition). */
export function emptyCart(sessionId: string, owner: string, version: number): TransactItem {
  return named('cart', {
    Update: {
      TableName: tableName(),
      Key: keys.cart(sessionId, owner),
      UpdateExpression: 'SET #lines = :empty ADD #version :one',
      ConditionExpression: '#version = :version',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':empty': {}, ':one': 1, ':version': version },
    },
  });
}
