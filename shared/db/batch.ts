import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import type { Key } from './keys';

type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

const BATCH_SIZE = 25;
const MAX_ROUNDS = 8;

/** BatchWriteItem in chunks of 25, re-sending unprocessed items with backoff until all land. */
export async function batchWrite(requests: WriteRequest[]): Promise<void> {
  for (let start = 0; start < requests.length; start += BATCH_SIZE) {
    let pending: WriteRequest[] = requests.slice(start, start + BATCH_SIZE);
    for (let round = 0; pending.length > 0; round++) {
      if (round === MAX_ROUNDS) throw new Error(`batch write left ${pending.length} items unprocessed`);
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** round));
      const { UnprocessedItems } = await db().send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending } }));
      pending = UnprocessedItems?.[tableName()] ?? [];
    }
  }
}

export const deleteRequest = (key: Key): WriteRequest => ({ DeleteRequest: { Key: key } });
export const putRequest = (item: Record<string, unknown>): WriteRequest => ({ PutRequest: { Item: item } });
