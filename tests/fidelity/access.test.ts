import { DynamoDBClient, GetItemCommand, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localAwsEnv } from '../../lib/local/dynamodb-local';
import { startTableAccessProxy } from '../../lib/local/table-access-proxy';
import type { TableAccessProxy } from '../../lib/local/table-access-proxy';

/** The local IAM: a function's DynamoDB calls outside its grant fail the way AWS refuses them. */
let proxy: TableAccessProxy;
const TableName = inject('tableName');
const key = { pk: { S: 'ACCESS#test' }, sk: { S: 'ITEM' } };

const clientFor = (access: 'none' | 'read' | 'readWrite') =>
  new DynamoDBClient({
    endpoint: proxy.endpointFor(access),
    region: localAwsEnv.AWS_REGION,
    credentials: { accessKeyId: localAwsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: localAwsEnv.AWS_SECRET_ACCESS_KEY },
    maxAttempts: 1,
  });
const refusal = (promise: Promise<unknown>) => promise.then(() => 'allowed', (error: Error) => error.name);

beforeAll(async () => {
  proxy = await startTableAccessProxy(inject('dynamoDbEndpoint'), () => undefined);
});
afterAll(async () => {
  await proxy.close();
});

describe('the local IAM', () => {
  it('lets a read-write function write and read', async () => {
    const db = clientFor('readWrite');
    await db.send(new PutItemCommand({ TableName, Item: { ...key, value: { S: 'v' } } }));
    expect((await db.send(new GetItemCommand({ TableName, Key: key }))).Item?.value).toEqual({ S: 'v' });
  });

  it("refuses a read-only function's writes, in a transaction too, with AccessDeniedException", async () => {
    const db = clientFor('read');
    expect(await refusal(db.send(new GetItemCommand({ TableName, Key: key })))).toBe('allowed');
    expect(await refusal(db.send(new PutItemCommand({ TableName, Item: { ...key, value: { S: 'w' } } })))).toBe('AccessDeniedException');
    const transaction = new TransactWriteItemsCommand({ TransactItems: [{ ConditionCheck: { TableName, Key: key, ConditionExpression: 'attribute_exists(pk)' } }, { Put: { TableName, Item: { ...key, value: { S: 'w' } } } }] });
    expect(await refusal(db.send(transaction))).toBe('AccessDeniedException');
    expect((await clientFor('readWrite').send(new GetItemCommand({ TableName, Key: key }))).Item?.value).toEqual({ S: 'v' });
  });

  it('refuses every call of a function without table access', async () => {
    expect(await refusal(clientFor('none').send(new GetItemCommand({ TableName, Key: key })))).toBe('AccessDeniedException');
  });
});
