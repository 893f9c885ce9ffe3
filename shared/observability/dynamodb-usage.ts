import type { ConsumedCapacity, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-dynamodb';
import type { InitializeMiddleware, Pluggable } from '@aws-sdk/types';
import { AsyncLocalStorage } from 'node:async_hooks';

/** One DynamoDB round trip: the operation (`GetItem`, `TransactWriteItems`, …) and the capacity it consumed. */
export interface DynamoDbCall {
  operation: string;
  capacityUnits: number;
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

/** Every measurement that encloses the current call, innermost last: a call counts for each of them. */
const measurements = new AsyncLocalStorage<DynamoDbCall[][]>();

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
    let consumed: ConsumedCapacity | ConsumedCapacity[] | undefined;
    try {
      const output = await next(args);
      consumed = (output.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
      return output;
    } finally {
      // A refused call (a failed condition, a cancelled transaction) is a round trip too; its units are not reported.
      const capacityUnits = [consumed ?? []].flat().reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
      for (const calls of measurements.getStore() ?? []) calls.push({ operation, capacityUnits });
    }
  };

/** Plug into a DynamoDB client: `client.middlewareStack.use(dynamoDbUsage({ askForCapacity }))`. */
export const dynamoDbUsage = ({ askForCapacity }: { askForCapacity: boolean }): Pluggable<ServiceInputTypes, ServiceOutputTypes> => ({
  applyToStack: (stack) => stack.add(recordUsage(askForCapacity), { step: 'initialize', name: 'dynamoDbUsage' }),
});
