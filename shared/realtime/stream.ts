import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';
import { deliver, forEachBounded } from './fanout';
import type { ConnectionPoster } from './fanout';
import { planRecord } from './messages';

/** Partitions delivered at once; each partition's records go strictly in order. */
export const PARTITION_CONCURRENCY = 8;

/**
 * The stream consumer. Records of one partition key (a session, a restaurant's menu, a token) are
 * delivered in stream order, one after the other; different partitions are delivered side by side,
 * so one busy table does not hold up the rest of the batch. When a record fails (a post other than
 * 410, or a record that cannot be planned), it and the later records of its partition are reported
 * in `batchItemFailures` and not delivered now: Lambda retries from there (bisecting the batch) and
 * finally sends them to the DLQ, and no client sees a newer change before an older one.
 */
export async function processStreamRecords(records: DynamoDBRecord[], poster: ConnectionPoster): Promise<DynamoDBBatchResponse> {
  const partitions = new Map<string, DynamoDBRecord[]>();
  for (const record of records) {
    const key = record.dynamodb?.Keys?.pk?.S ?? '';
    const partition = partitions.get(key);
    if (partition) partition.push(record);
    else partitions.set(key, [record]);
  }
  const failed = new Set<DynamoDBRecord>();
  await forEachBounded([...partitions.values()], PARTITION_CONCURRENCY, async (partition) => {
    for (const [index, record] of partition.entries()) {
      if (!(await deliverRecord(record, poster))) {
        for (const held of partition.slice(index)) failed.add(held);
        return;
      }
    }
  });
  return { batchItemFailures: records.filter((record) => failed.has(record)).map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' })) };
}

async function deliverRecord(record: DynamoDBRecord, poster: ConnectionPoster): Promise<boolean> {
  try {
    const result = await deliver(planRecord(record), poster);
    count('FanoutMessages', result.sent);
    count('FanoutGone', result.gone);
    count('FanoutFailures', result.failed);
    if (result.failed > 0) throw new Error(`${result.failed} posts failed`);
    if (result.sent + result.gone > 0) logger.debug('record delivered', { eventID: record.eventID, ...result });
    return true;
  } catch (error) {
    logger.error('stream record not delivered', { eventID: record.eventID, error: error as Error });
    return false;
  }
}
