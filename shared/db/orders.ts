import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { activeOrdersIndex, keyPrefixes, keys } from './keys';
import { queryAll } from './query';
import { epochSeconds } from './time';
import type { TransactItem } from './transact';

export type LineStatus = 'QUEUED' | 'IN_PROGRESS' | 'READY' | 'SERVED' | 'CANCELLED';
export type OrderStatus = 'PLACED' | 'IN_PROGRESS' | 'READY' | 'SERVED' | 'CANCELLED';

export interface OrderLine {
  lineId: string;
  itemId: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
  notes: string | null;
  station: string;
  allergens: string[];
  status: LineStatus;
  updatedAt: string;
}

export interface Order {
  orderId: string;
  sessionId: string;
  restaurantId: string;
  tableId: string;
  number: number;
  status: OrderStatus;
  placedAt: string;
  /** The guest who placed it; in INDIVIDUAL sessions also the only guest who may see it. */
  placedBy: string;
  lines: OrderLine[];
  totalCents: number;
}

const toOrder = (item: Record<string, unknown>): Order => ({
  orderId: item.orderId as string,
  sessionId: item.sessionId as string,
  restaurantId: item.restaurantId as string,
  tableId: item.tableId as string,
  number: item.number as number,
  status: item.status as OrderStatus,
  placedAt: item.placedAt as string,
  placedBy: item.placedBy as string,
  lines: item.lines as OrderLine[],
  totalCents: item.totalCents as number,
});

/** Put of a new order with its lines (index-stable: fails if the derived id exists); it is active for the kitchen. */
export function putOrder(order: Order): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.order(order.sessionId, order.orderId),
        gsi1pk: activeOrdersIndex.pk(order.restaurantId),
        gsi1sk: activeOrdersIndex.sk(order.placedAt, order.orderId),
        type: 'Order',
        ...order,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export async function getOrder(sessionId: string, orderId: string): Promise<Order | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.order(sessionId, orderId), ConsistentRead: true }));
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
  const { Attributes } = await db.send(
    new UpdateCommand({
      TableName: tableName,
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
