import * as z from 'zod';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { activeOrdersIndex, keyPrefixes, keys } from './keys';
import { batchGet, keyId } from './batch-get';
import { queryAll, queryPage } from './query';
import { epochSeconds } from './time';
import { named } from './transact';
import type { TransactItem } from './transact';
import { ENTITY } from './entities';
import { CartLineItem } from './carts';
import { LINE_STATUSES, ORDER_STATUSES } from '../contract/fields';
import type { OrderStatus } from '../contract/fields';


/** A cart line as ordered: priced at placement, with what the kitchen needs and where it is. */
const OrderLineItem = CartLineItem.pick({ lineId: true, itemId: true, name: true, quantity: true, unitPriceCents: true, notes: true, options: true }).extend({
  station: z.string(),
  allergens: z.array(z.string()),
  /** What the kitchen calls the dish (the menu's `kitchenName`, else its name). */
  kitchenName: z.string().nullable().default(null),
  course: z.number().int().default(0),
  prepMinutes: z.number().int().nullable().default(null),
  status: z.enum(LINE_STATUSES),
  updatedAt: z.string(),
  /** When its course was fired: at placement, or when the floor fired a held course. Null while held (and on lines from before coursing). */
  firedAt: z.string().nullable().default(null),
});
export type OrderLine = z.infer<typeof OrderLineItem>;

const OrderItem = z.object({
  orderId: z.string(),
  sessionId: z.string(),
  restaurantId: z.string(),
  tableId: z.string(),
  /** The table's name when the order was placed, so the kitchen list needs no other read. */
  tableName: z.string(),
  number: z.number(),
  status: z.enum(ORDER_STATUSES),
  placedAt: z.string(),
  /** The guest who placed it; in INDIVIDUAL sessions also the only guest who may see it. */
  placedBy: z.string(),
  lines: z.array(OrderLineItem),
  totalCents: z.number(),
  /** Bumped by every line change: line updates condition on it, so the derived status is never stale. */
  revision: z.number().default(0),
});
export type Order = z.infer<typeof OrderItem>;

const toOrder = (item: Record<string, unknown>): Order => OrderItem.parse(item);

/**
 * Puts of a new order with its lines (`order` fails if the derived id exists; the order is active
 * for the kitchen) and of its reference by id (`orderRef`).
 */
export function putOrder(order: Order): TransactItem[] {
  return [named('order', {
    Put: {
      TableName: tableName(),
      Item: {
        ...keys.order(order.sessionId, order.orderId),
        gsi2pk: activeOrdersIndex.pk(order.restaurantId),
        gsi2sk: activeOrdersIndex.sk(order.placedAt, order.orderId),
        type: ENTITY.order,
        ...order,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }),
  named('orderRef', {
    Put: {
      TableName: tableName(),
      Item: { ...keys.orderRef(order.orderId), type: ENTITY.orderRef, restaurantId: order.restaurantId, sessionId: order.sessionId },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  })];
}

/** Which restaurant and session an order id belongs to. */
export async function getOrderRef(orderId: string): Promise<{ restaurantId: string; sessionId: string } | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.orderRef(orderId) }));
  return Item && { restaurantId: Item.restaurantId, sessionId: Item.sessionId };
}

/**
 * Replaces an order's lines and its derived status in one write, if the order is still at its
 * `revision` (named `order:<orderId>` in a transaction). A finished order leaves the active index.
 */
export function orderLinesUpdate(order: Order, lines: OrderLine[], status: OrderStatus): TransactItem {
  const finished = status === 'SERVED' || status === 'CANCELLED';
  return named(`order:${order.orderId}`, {
    Update: {
      TableName: tableName(),
      Key: keys.order(order.sessionId, order.orderId),
      UpdateExpression: `SET #lines = :lines, #status = :status ADD revision :one${finished ? ' REMOVE gsi2pk, gsi2sk' : ''}`,
      ConditionExpression: 'revision = :revision',
      ExpressionAttributeNames: { '#lines': 'lines', '#status': 'status' },
      ExpressionAttributeValues: { ':lines': lines, ':status': status, ':one': 1, ':revision': order.revision },
    },
  });
}

/** {@link orderLinesUpdate} on its own; false when the order changed meanwhile. */
export async function writeOrderLines(order: Order, lines: OrderLine[], status: OrderStatus): Promise<boolean> {
  try {
    await db().send(new UpdateCommand(orderLinesUpdate(order, lines, status).write.Update as UpdateCommandInput));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

const activeOrdersQuery = (restaurantId: string) => ({
  IndexName: 'gsi2',
  KeyConditionExpression: 'gsi2pk = :pk',
  ExpressionAttributeValues: { ':pk': activeOrdersIndex.pk(restaurantId) },
});

/**
 * The orders at these index entries, in their order (BatchGetItem, eventually consistent like the
 * index itself, at half the read units): an order finished a moment ago may still have an entry,
 * and is left out.
 */
async function ordersAt(entries: Record<string, unknown>[]): Promise<Order[]> {
  const keysOf = entries.map((entry) => ({ pk: String(entry.pk), sk: String(entry.sk) }));
  const found = await batchGet(keysOf, false);
  return keysOf
    .map((key) => found.get(keyId(key)))
    .filter((item): item is Record<string, unknown> => item !== undefined)
    .map(toOrder)
    .filter((order) => order.status !== 'SERVED' && order.status !== 'CANCELLED');
}

/** Every active order of a restaurant, oldest first (the all-day counts): the active-orders Query, paged through. */
export async function queryAllActiveOrders(restaurantId: string): Promise<Order[]> {
  return ordersAt(await queryAll(activeOrdersQuery(restaurantId)));
}

/** One page of a restaurant's active orders, oldest first: a Query on gsi2 (finished orders are not in it), then the orders. */
export async function queryActiveOrders(restaurantId: string, limit: number, startAfter?: Record<string, unknown>) {
  const page = await queryPage({ ...activeOrdersQuery(restaurantId), Limit: limit, ExclusiveStartKey: startAfter });
  return { orders: await ordersAt(page.Items ?? []), next: page.LastEvaluatedKey };
}

export async function getOrder(sessionId: string, orderId: string): Promise<Order | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.order(sessionId, orderId), ConsistentRead: true }));
  return Item && toOrder(Item);
}

/** All orders of a session, oldest first: one Query on the session's partition. */
export async function listSessionOrders(sessionId: string): Promise<Order[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keyPrefixes.sessionPk(sessionId), ':prefix': keyPrefixes.orders },
    ConsistentRead: true,
  });
  return items.map(toOrder).sort((a, b) => a.placedAt.localeCompare(b.placedAt));
}

/** The next ticket number of the restaurant's (UTC) day: one atomic ADD. Numbers never repeat within a day. */
export async function nextTicketNumber(restaurantId: string, now: Date): Promise<number> {
  const day = now.toISOString().slice(0, 10);
  const { Attributes } = await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.ticketCounter(restaurantId, day),
      UpdateExpression: 'ADD lastNumber :one SET #ttl = :ttl',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':one': 1, ':ttl': epochSeconds(now) + 3 * 24 * 3600 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(Attributes?.lastNumber);
}

export { toOrder };
