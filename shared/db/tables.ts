import * as z from 'zod';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keyPrefixes, keys } from './keys';
import { queryAll } from './query';
import { named } from './transact';
import type { TransactItem } from './transact';
import { ENTITY } from './entities';

/** A table in the dining room ("DiningTable" to keep it apart from the DynamoDB table). */
const DiningTableItem = z.object({
  restaurantId: z.string(),
  tableId: z.string(),
  name: z.string(),
  tableCode: z.string(),
  /** Set while a table session is open (the sessions feature maintains it). */
  openSessionId: z.string().nullable().default(null),
  createdAt: z.string(),
});
export type DiningTable = z.infer<typeof DiningTableItem>;

export interface TableCodeTarget {
  restaurantId: string;
  tableId: string;
}

export const toDiningTable = (item: Record<string, unknown>): DiningTable => DiningTableItem.parse(item);

const putCode = (tableCode: string, target: TableCodeTarget): TransactItem => (named('tableCode', {
  Put: {
    TableName: tableName(),
    Item: { ...keys.tableCode(tableCode), type: ENTITY.tableCode, ...target },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
}));

/** Puts for a new table and its code item (`tableCode` fails on the astronomically unlikely code clash). */
export function putTable(table: Omit<DiningTable, 'openSessionId'>): TransactItem[] {
  return [
    named('table', {
      Put: {
        TableName: tableName(),
        Item: { ...keys.table(table.restaurantId, table.tableId), type: ENTITY.diningTable, ...table },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }),
    putCode(table.tableCode, table),
  ];
}

/**
 * Swaps a table's code: the table item changes only if it still has the old code (`table`), the
 * old code item goes, the new one arrives. After this the old QR code resolves to nothing.
 */
export function replaceTableCode(table: DiningTable, newCode: string): TransactItem[] {
  return [
    named('table', {
      Update: {
        TableName: tableName(),
        Key: keys.table(table.restaurantId, table.tableId),
        UpdateExpression: 'SET tableCode = :new',
        ConditionExpression: 'tableCode = :old',
        ExpressionAttributeValues: { ':new': newCode, ':old': table.tableCode },
      },
    }),
    named('oldTableCode', { Delete: { TableName: tableName(), Key: keys.tableCode(table.tableCode) } }),
    putCode(newCode, table),
  ];
}

export async function getTable(restaurantId: string, tableId: string): Promise<DiningTable | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.table(restaurantId, tableId), ConsistentRead: true }),
  );
  return Item && toDiningTable(Item);
}

/** Tables of a restaurant: one Query on its partition. */
export async function queryTables(restaurantId: string): Promise<DiningTable[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keyPrefixes.restaurantPk(restaurantId), ':prefix': keyPrefixes.tables },
  });
  return items.map(toDiningTable);
}

/** What a scanned code points at: one GetItem, never a Scan. */
export async function findTableCode(tableCode: string): Promise<TableCodeTarget | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.tableCode(tableCode), ConsistentRead: true }));
  return toTableCodeTarget(Item);
}

/** Where a table code item points, if there is one. */
export const toTableCodeTarget = (item: Record<string, unknown> | undefined): TableCodeTarget | undefined =>
  item && { restaurantId: String(item.restaurantId), tableId: String(item.tableId) };
