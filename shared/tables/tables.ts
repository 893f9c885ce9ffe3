import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import type * as z from 'zod';
import type { StaffPrincipal } from '../auth/principal';
import { env } from '../config/env';
import { fetchRestaurant } from '../db/restaurants';
import { toRestaurantView } from '../restaurants/restaurants';
import type { Restaurant } from '../db/restaurants';
import { findTableCode, getTable, queryTables, putTable, replaceTableCode } from '../db/tables';
import type { DiningTable } from '../db/tables';
import { TransactionCancelledError, transactWrite } from '../db/transact';
import { ConflictError, NotFoundError } from '../errors';
import { logger } from '../observability/logger';
import type { CreateTableBody } from '../contract/requests';
import type { CreatedTable, NewTableCode, ResolvedTableCode, Table } from '../contract/responses';

export type CreateTableInput = z.infer<typeof CreateTableBody>;

/** 96 random bits, as the contract's `TableCode` says. */
const newTableCode = () => randomBytes(12).toString('base64url');

export const orderUrl = (tableCode: string) => `${env().GUEST_ORDERING_URL}?t=${encodeURIComponent(tableCode)}`;

export type TableView = z.infer<typeof Table>;

const toView = (table: DiningTable): TableView => ({
  tableId: table.tableId,
  name: table.name,
  tableCode: table.tableCode,
  orderUrl: orderUrl(table.tableCode),
  openSessionId: table.openSessionId,
});

export async function createTable(actor: StaffPrincipal, input: CreateTableInput, now: Date): Promise<z.infer<typeof CreatedTable>> {
  const tableId = ulid(now.getTime());
  const tableCode = newTableCode();
  await transactWrite(
    putTable({ restaurantId: actor.restaurantId, tableId, name: input.name, tableCode, createdAt: now.toISOString() }),
  );
  logger.info('table created', { restaurantId: actor.restaurantId, tableId, by: actor.staffId });
  return { tableId, name: input.name, tableCode, orderUrl: orderUrl(tableCode) };
}

/** Table names as staff read them: "Table 2" before "Table 10", case aside. */
const byName = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** The restaurant's tables by name (the floor and the back office list them so), not in the order they were made. */
export async function listTables(actor: StaffPrincipal): Promise<TableView[]> {
  return (await queryTables(actor.restaurantId)).map(toView).sort((a, b) => byName.compare(a.name, b.name));
}

/** The caller's restaurant's table, or 404. */
export async function requireTable(actor: StaffPrincipal, tableId: string): Promise<DiningTable> {
  const table = await getTable(actor.restaurantId, tableId);
  if (!table) throw new NotFoundError();
  return table;
}

/** A new code for the table: the printed QR code stops working at once. */
export async function rotateTableCode(actor: StaffPrincipal, tableId: string): Promise<z.infer<typeof NewTableCode>> {
  const table = await requireTable(actor, tableId);
  const tableCode = newTableCode();
  try {
    await transactWrite(replaceTableCode(table, tableCode));
  } catch (error) {
    if (error instanceof TransactionCancelledError && error.failed('table')) {
      throw new ConflictError('TABLE_CODE_CHANGED', 'The table code was changed at the same time. Try again.');
    }
    throw error;
  }
  logger.info('table code rotated', { restaurantId: table.restaurantId, tableId, by: actor.staffId });
  return { tableCode, orderUrl: orderUrl(tableCode) };
}

export interface ResolvedTable {
  restaurant: Restaurant;
  table: DiningTable;
}

/** What a scanned code points at, or undefined when the code is unknown or was rotated away. */
export async function resolveTableCode(tableCode: string): Promise<ResolvedTable | undefined> {
  const target = await findTableCode(tableCode);
  if (!target) return undefined;
  const [restaurant, table] = await Promise.all([fetchRestaurant(target.restaurantId), getTable(target.restaurantId, target.tableId)]);
  if (!restaurant || !table) return undefined;
  return { restaurant, table };
}

/** The public face of a table code: which restaurant and table the guest is at. */
export async function describeTableCode(tableCode: string): Promise<z.infer<typeof ResolvedTableCode>> {
  const resolved = await resolveTableCode(tableCode);
  if (!resolved) throw new NotFoundError('No table has this code.');
  return { restaurant: toRestaurantView(resolved.restaurant), table: { name: resolved.table.name } };
}
