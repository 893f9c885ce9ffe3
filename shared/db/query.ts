import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../errors';
import { db, tableName } from './client';

/**
 * Every item a Query matches, following LastEvaluatedKey page by page. Only for partitions known
 * to stay small (a restaurant's staff, tables or menu); big lists page through their callers.
 */
export async function queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await db().send(new QueryCommand({ ...input, TableName: tableName(), ExclusiveStartKey: cursor }));
    items.push(...(page.Items ?? []));
    cursor = page.LastEvaluatedKey;
  } while (cursor);
  return items;
}

/** Every item of one gsi1 partition, in its sort order (the index's lists: menu, open sessions, open requests). */
export const queryIndexPartition = (gsi1pk: string): Promise<Record<string, unknown>[]> =>
  queryAll({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': gsi1pk } });

/**
 * One page of a Query from a client's cursor. A start key that DynamoDB refuses (a forged cursor of
 * the right shape) is the client's bad cursor, a 400, never our failure.
 */
export async function queryPage(input: Omit<QueryCommandInput, 'TableName'>) {
  try {
    return await db().send(new QueryCommand({ ...input, TableName: tableName() }));
  } catch (error) {
    if (input.ExclusiveStartKey && (error as { name?: string }).name === 'ValidationException') {
      throw new ValidationError([{ path: 'query.cursor', message: 'Not a cursor from this list.' }]);
    }
    throw error;
  }
}
