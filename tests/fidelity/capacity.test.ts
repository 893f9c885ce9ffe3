import { DynamoDBClient, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localAwsEnv } from '../../lib/local/dynamodb-local';
import { startTableAccessProxy } from '../../lib/local/table-access-proxy';
import type { TableAccessProxy } from '../../lib/local/table-access-proxy';

/**
 * The write units of a transaction, as AWS bills them: 2 per KB of each action's item (before or
 * after, the larger), rounded up per item, condition checks included, and each index entry written.
 * DynamoDB Local on its own says 2 units for ten 100-byte puts; AWS bills 20.
 */
let proxy: TableAccessProxy;
let db: DynamoDBClient;
const TableName = inject('tableName');
const key = () => ({ pk: { S: `CAPACITY#${randomUUID()}` }, sk: { S: 'ITEM' } });
/** An item of exactly `size` bytes: pk (2 + 45), sk (2 + 4), `d` (1 + the rest). */
const sized = (size: number, extra: Record<string, AttributeValue> = {}) => ({ ...key(), d: { S: 'x'.repeat(size - 54) }, ...extra });
const units = async (items: TransactWriteItem[], mode: 'TOTAL' | 'INDEXES' = 'TOTAL') =>
  (await db.send(new TransactWriteItemsCommand({ TransactItems: items, ReturnConsumedCapacity: mode }))).ConsumedCapacity?.[0];

beforeAll(async () => {
  proxy = await startTableAccessProxy(inject('dynamoDbEndpoint'), () => undefined);
  db = new DynamoDBClient({
    endpoint: proxy.endpointFor('readWrite'),
    region: localAwsEnv.AWS_REGION,
    credentials: { accessKeyId: localAwsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: localAwsEnv.AWS_SECRET_ACCESS_KEY },
  });
});
afterAll(async () => {
  db.destroy();
  await proxy.close();
});

describe('transaction write units in the local runtime', () => {
  it('bills every put of a transaction 2 units per KB, rounded up per item', async () => {
    const small = Array.from({ length: 10 }, () => ({ Put: { TableName, Item: sized(100) } }));
    expect((await units(small))?.CapacityUnits).toBe(20);
    expect((await units([{ Put: { TableName, Item: sized(1024) } }, { Put: { TableName, Item: sized(1025) } }]))?.CapacityUnits).toBe(2 + 4);
  });

  it('bills a condition check by the size of the item it checks', async () => {
    const checked = sized(3000);
    await db.send(new PutItemCommand({ TableName, Item: checked }));
    const check = { ConditionCheck: { TableName, Key: { pk: checked.pk, sk: checked.sk }, ConditionExpression: 'attribute_exists(pk)' } };
    expect((await units([check, { Put: { TableName, Item: sized(100) } }]))?.CapacityUnits).toBe(6 + 2);
  });

  it('bills an update by the larger of the item before and after, a delete by the item it removes', async () => {
    const item = sized(3000);
    await db.send(new PutItemCommand({ TableName, Item: item }));
    const Key = { pk: item.pk, sk: item.sk };
    expect((await units([{ Update: { TableName, Key, UpdateExpression: 'REMOVE d' } }]))?.CapacityUnits).toBe(6);
    expect((await units([{ Update: { TableName, Key, UpdateExpression: 'SET d = :d', ExpressionAttributeValues: { ':d': { S: 'x'.repeat(1900) } } } }]))?.CapacityUnits).toBe(4);
    expect((await units([{ Delete: { TableName, Key } }]))?.CapacityUnits).toBe(4);
  });

  it('bills the index entries a transaction puts, rewrites, moves and removes', async () => {
    const item = sized(500, { gsi1pk: { S: 'CAPACITY#index' }, gsi1sk: { S: randomUUID() } });
    expect(await units([{ Put: { TableName, Item: item } }], 'INDEXES')).toMatchObject({ CapacityUnits: 4, Table: { CapacityUnits: 2 }, GlobalSecondaryIndexes: { gsi1: { CapacityUnits: 2 } } });
    const Key = { pk: item.pk, sk: item.sk };
    const update = (expression: string, values?: Record<string, AttributeValue>) => units([{ Update: { TableName, Key, UpdateExpression: expression, ExpressionAttributeValues: values } }], 'INDEXES');
    // A projected attribute changes: the entry is rewritten.
    expect((await update('SET z = :z', { ':z': { S: 'z' } }))?.GlobalSecondaryIndexes?.gsi1?.CapacityUnits).toBe(2);
    // The index key moves: the old entry is deleted and a new one put.
    expect((await update('SET gsi1sk = :sk', { ':sk': { S: randomUUID() } }))?.GlobalSecondaryIndexes?.gsi1?.CapacityUnits).toBe(4);
    // The item leaves the index.
    expect(await update('REMOVE gsi1pk, gsi1sk')).toMatchObject({ CapacityUnits: 4, GlobalSecondaryIndexes: { gsi1: { CapacityUnits: 2 } } });
  });

  it('bills a keys-only index entry by its keys, and not at all while they stay', async () => {
    const item = sized(1500, { gsi2pk: { S: 'CAPACITY#keys' }, gsi2sk: { S: randomUUID() } });
    expect(await units([{ Put: { TableName, Item: item } }], 'INDEXES')).toMatchObject({ CapacityUnits: 4 + 2, GlobalSecondaryIndexes: { gsi2: { CapacityUnits: 2 } } });
    const Key = { pk: item.pk, sk: item.sk };
    const moved = await units([{ Update: { TableName, Key, UpdateExpression: 'SET d = :d', ExpressionAttributeValues: { ':d': { S: 'y'.repeat(1400) } } } }], 'INDEXES');
    expect(moved).toMatchObject({ CapacityUnits: 4 });
    expect(moved?.GlobalSecondaryIndexes ?? {}).toEqual({});
  });
});
