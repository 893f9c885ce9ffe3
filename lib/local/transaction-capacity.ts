import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { isDeepStrictEqual } from 'node:util';
import { tableDefinition } from '../../shared/db/table-definition';

/** An item as DynamoDB's wire protocol has it: attribute name → typed value. */
export type WireItem = Record<string, AttributeValue>;

/** One action of a TransactWriteItems with the item it touches before and after (absent: no item). */
export interface TransactAction {
  kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  before?: WireItem;
  after?: WireItem;
}

/** Write units of a transaction, on the table and per index, as AWS bills them. */
export interface TransactionUnits {
  table: number;
  indexes: Record<string, number>;
  total: number;
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** A number's size: one byte per two significant digits, plus one (DynamoDB's item size rules). */
const numberSize = (n: string) => Math.ceil(n.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length / 2) + 1;

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return bytes(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((sum, s) => sum + bytes(s), 0);
  if (value.NS) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if (value.BS) return value.BS.reduce((sum, b) => sum + b.length, 0);
  // Lists and maps: 3 bytes, plus 1 per element, plus the elements (and a map's names).
  if (value.L) return value.L.reduce((sum, element) => sum + 1 + valueSize(element), 3);
  if (value.M) return Object.entries(value.M).reduce((sum, [name, element]) => sum + 1 + bytes(name) + valueSize(element), 3);
  return 0;
}

/** An item's size as DynamoDB counts it: every attribute's name and value. */
const itemSize = (item: WireItem): number => Object.entries(item).reduce((sum, [name, value]) => sum + bytes(name) + valueSize(value), 0);

/** Write units of one item write: one per KB, rounded up per item, at least one. */
const writeUnits = (...items: (WireItem | undefined)[]) => Math.max(1, Math.ceil(Math.max(0, ...items.map((item) => (item ? itemSize(item) : 0))) / 1024));

/** AWS bills every action of a transaction twice (prepare and commit). */
const TRANSACTIONAL = 2;

/**
 * What AWS bills for a TransactWriteItems that succeeded, which DynamoDB Local reports wrongly: it
 * neither rounds per item nor counts condition checks (ten 100-byte puts come back as 2 units; AWS
 * bills 20). On AWS every action, condition checks included, costs 2 write units per KB of its item,
 * the larger of before and after, rounded up per item. Each index entry the action puts, rewrites or
 * removes costs its own units by the entry's size (the whole item, or only the keys, as the index
 * projects), two entries when its key moves, none when nothing it projects changed; they are doubled
 * too, the conservative reading of AWS's pricing.
 */
export function transactionUnits(actions: TransactAction[]): TransactionUnits {
  const table = actions.reduce((sum, action) => sum + TRANSACTIONAL * writeUnits(action.before, action.after), 0);
  const indexes: Record<string, number> = {};
  for (const index of tableDefinition.globalSecondaryIndexes) {
    const projected = (item?: WireItem) =>
      item && index.projection === 'KEYS_ONLY'
        ? Object.fromEntries([tableDefinition.partitionKey, tableDefinition.sortKey, index.partitionKey, index.sortKey].flatMap((name) => (item[name] ? [[name, item[name]]] : [])))
        : item;
    const keyOf = (item?: WireItem) => {
      const pk = item?.[index.partitionKey]?.S;
      const sk = item?.[index.sortKey]?.S;
      return pk !== undefined && sk !== undefined ? `${pk}\n${sk}` : undefined;
    };
    let units = 0;
    for (const action of actions) {
      if (action.kind === 'ConditionCheck') continue;
      const [before, after] = [projected(action.before), projected(action.after)];
      const [was, is] = [keyOf(before), keyOf(after)];
      if (was !== undefined && is !== undefined && was !== is) units += writeUnits(before) + writeUnits(after);
      else if (was !== undefined && is !== undefined) units += isDeepStrictEqual(before, after) ? 0 : writeUnits(before, after);
      else if (was !== undefined) units += writeUnits(before);
      else if (is !== undefined) units += writeUnits(after);
    }
    if (units > 0) indexes[index.indexName] = TRANSACTIONAL * units;
  }
  return { table, indexes, total: table + Object.values(indexes).reduce((sum, units) => sum + units, 0) };
}
