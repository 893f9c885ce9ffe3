import type { ConsumedCapacity, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-dynamodb';
import type { InitializeMiddleware, Pluggable } from '@aws-sdk/types';
import { AsyncLocalStorage } from 'node:async_hooks';

/** One DynamoDB round trip: the operation (`GetItem`, `TransactWriteItems`, …) and the capacity it consumed. */
export interface DynamoDbCall {
  operation: string;
  capacityUnits: number;
  /**
   * The partitions the call writes, one entry per item (index partitions included where the item
   * names one), as key classes without ids (`SESSION#`, `CHANNEL#kitchen#`): where write load lands.
   * Only while measuring capacity (the local runtime, the benchmark).
   */
  writes?: string[];
}

/** The round trips made while a measurement was running, in the order they were sent. */
export interface DynamoDbUsage {
  calls: DynamoDbCall[];
  readUnits: number;
  writeUnits: number;
}

const READ_OPERATIONS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
/** Reads consume read capacity; everything else the middleware records consumes write capacity. */
export const isReadOperation = (operation: string): boolean => READ_OPERATIONS.has(operation);
const ITEM_OPERATIONS = new Set([...READ_OPERATIONS, 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/**
 * Every measurement that encloses the current call, innermost last: a call counts for each of them.
 * One store per thread however many copies of this module it loads: the local runtime measures a
 * function's bundle from outside it (its worker host is a bundle of its own), as Lambda's REPORT line does.
 */
const measurements: AsyncLocalStorage<DynamoDbCall[][]> = ((globalThis as Record<symbol, unknown>)[Symbol.for('qr-ordering.dynamodb-usage')] ??=
  new AsyncLocalStorage<DynamoDbCall[][]>()) as AsyncLocalStorage<DynamoDbCall[][]>;

/**
 * Runs `work` and then hands `report` the round trips it made through the project's DynamoDB client,
 * with their consumed capacity, whether it succeeded or threw. Measurements nest.
 */
export async function measureDynamoDb<T>(work: () => Promise<T>, report: (usage: DynamoDbUsage) => void): Promise<T> {
  const calls: DynamoDbCall[] = [];
  try {
    return await measurements.run([...(measurements.getStore() ?? []), calls], work);
  } finally {
    report(summarize(calls));
  }
}

function summarize(calls: DynamoDbCall[]): DynamoDbUsage {
  const units = (read: boolean) =>
    calls.filter((call) => isReadOperation(call.operation) === read).reduce((sum, call) => sum + call.capacityUnits, 0);
  return { calls, readUnits: units(true), writeUnits: units(false) };
}

/**
 * Records each round trip in the measurements that enclose it, so a log line or a benchmark can say
 * what an operation cost without threading a meter through the data layer. With `askForCapacity`
 * (the local runtime and the benchmark) it also asks DynamoDB for the consumed capacity of every item
 * operation; deployed, it does not, and the round trips are counted without units.
 */
const recordUsage =
  (askForCapacity: boolean): InitializeMiddleware<ServiceInputTypes, ServiceOutputTypes> =>
  (next, context) =>
  async (args) => {
    const operation = String(context.commandName ?? '').replace(/Command$/, '');
    if (!ITEM_OPERATIONS.has(operation)) return next(args);
    if (askForCapacity) (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity ??= 'TOTAL';
    const writes = askForCapacity && !isReadOperation(operation) ? writtenPartitions(args.input as WriteInput) : undefined;
    let consumed: ConsumedCapacity | ConsumedCapacity[] | undefined;
    try {
      const output = await next(args);
      consumed = (output.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
      return output;
    } finally {
      // A refused call (a failed condition, a cancelled transaction) is a round trip too; its units are not reported.
      const capacityUnits = [consumed ?? []].flat().reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
      for (const calls of measurements.getStore() ?? []) calls.push({ operation, capacityUnits, ...(writes ? { writes } : {}) });
    }
  };

type Attributes = Record<string, unknown> | undefined;
interface WriteInput {
  Item?: Attributes;
  Key?: Attributes;
  TransactItems?: { Put?: { Item?: Attributes }; Update?: { Key?: Attributes }; Delete?: { Key?: Attributes } }[];
  RequestItems?: Record<string, { PutRequest?: { Item?: Attributes }; DeleteRequest?: { Key?: Attributes } }[]>;
}

/** A key's class: `RESTAURANT#01H…` → `RESTAURANT#`, `CHANNEL#kitchen#01H…` → `CHANNEL#kitchen#`. */
export function keyClass(key: string): string {
  const [kind = '', channel] = key.split('#');
  return kind === 'CHANNEL' && channel !== undefined ? `CHANNEL#${channel}#` : `${kind}#`;
}

/** The partition key classes of the items a write call writes (a put's index partition too). */
function writtenPartitions(input: WriteInput): string[] {
  // Before or after the document client's marshalling: `"x"` or `{ S: "x" }`.
  const text = (value: unknown) => (typeof value === 'string' ? value : typeof (value as { S?: unknown })?.S === 'string' ? (value as { S: string }).S : undefined);
  const ofItem = (item: Attributes) => [item?.pk, item?.gsi1pk, item?.gsi2pk].map(text).filter((key): key is string => key !== undefined);
  const ofKey = (key: Attributes) => ofItem({ pk: key?.pk });
  const keys = [
    ...ofItem(input.Item),
    ...ofKey(input.Key),
    ...(input.TransactItems ?? []).flatMap((item) => [...ofItem(item.Put?.Item), ...ofKey(item.Update?.Key), ...ofKey(item.Delete?.Key)]),
    ...Object.values(input.RequestItems ?? {}).flatMap((requests) => requests.flatMap((request) => [...ofItem(request.PutRequest?.Item), ...ofKey(request.DeleteRequest?.Key)])),
  ];
  return keys.map(keyClass);
}

/** Plug into a DynamoDB client: `client.middlewareStack.use(dynamoDbUsage({ askForCapacity }))`. */
export const dynamoDbUsage = ({ askForCapacity }: { askForCapacity: boolean }): Pluggable<ServiceInputTypes, ServiceOutputTypes> => ({
  applyToStack: (stack) => stack.add(recordUsage(askForCapacity), { step: 'initialize', name: 'dynamoDbUsage' }),
});
