import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import type { Key } from './keys';

const MAX_ROUNDS = 8;
/** The most keys one BatchGetItem takes. */
const BATCH_GET_KEYS = 100;

/**
 * Several items in as few round trips as BatchGetItem allows (100 keys each), re-asking for
 * unprocessed keys. Results come back by `pk|sk`, because BatchGetItem returns them in no particular order.
 */
export async function batchGet(keys: Key[], consistent = true): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  for (let start = 0; start < keys.length; start += BATCH_GET_KEYS) await getInto(found, keys.slice(start, start + BATCH_GET_KEYS), consistent);
  return found;
}

/** One BatchGetItem of at most 100 keys into `found`, and again for what it left unprocessed. */
async function getInto(found: Map<string, Record<string, unknown>>, keys: Key[], consistent: boolean): Promise<void> {
  let pending: Record<string, unknown>[] = keys;
  for (let round = 0; pending.length > 0; round++) {
    if (round === MAX_ROUNDS) throw new Error(`batch get left ${pending.length} keys unprocessed`);
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** round));
    const { Responses, UnprocessedKeys } = await db().send(
      new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: consistent } } }),
    );
    for (const item of Responses?.[tableName()] ?? []) found.set(keyId(item as unknown as Key), item);
    pending = UnprocessedKeys?.[tableName()]?.Keys ?? [];
  }
}

export const keyId = (key: Key): string => `${key.pk}|${key.sk}`;
