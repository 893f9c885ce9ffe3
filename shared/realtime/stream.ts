import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';
import { ChannelMembers, closeConnections, closesConnections, deliver } from './fanout';
import { forEachBounded } from './posting';
import type { ConnectionPoster } from './posting';
import { coalesce } from './coalesce';
import { planRecord } from './messages';
import type { RecordPlan } from './messages';

/** Partitions delivered at once; each partition's records go strictly in order. */
export const PARTITION_CONCURRENCY = 8;

/**
 * The stream consumer. Each channel's members are read once per batch (ChannelMembers), and the
 * changes of one cart or order within a partition's records are folded into their last (coalesce). Records of one partition key (a session, a restaurant's menu, a token) are
 * delivered in stream order, one after the other; different partitions are delivered side by side,
 * so one busy table does not hold up the rest of the batch. When a record fails (a post other than
 * 410, or a record that cannot be planned), it and the later records of its partition are reported
 * in `batchItemFailures` and not delivered now: Lambda retries from there (bisecting the batch) and
 * finally sends them to the DLQ, and no client sees a newer change before an older one.
 *
 * Sockets are closed only after every delivery of the batch: a removed guest hears `guest.removed`
 * (their session's partition) before the revocation of their token (its own partition) closes the
 * socket, whichever partition is delivered first.
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
  const members = new ChannelMembers();
  const closing: { record: DynamoDBRecord; plan: RecordPlan; expired: string[] }[] = [];
  await forEachBounded([...partitions.values()], PARTITION_CONCURRENCY, async (partition) => {
    const coalesced = coalesce(partition);
    if (coalesced.length < partition.length) count('FanoutRecordsCoalesced', partition.length - coalesced.length);
    for (const [index, { record }] of coalesced.entries()) {
      const delivered = await deliverRecord(record, poster, members);
      if (!delivered) {
        for (const held of coalesced.slice(index).flatMap(({ covers }) => covers)) failed.add(held);
        return;
      }
      if (closesConnections(delivered.plan, delivered.result)) closing.push({ record, plan: delivered.plan, expired: delivered.result.expired });
    }
  });
  await forEachBounded(closing, PARTITION_CONCURRENCY, async ({ record, plan, expired }) => {
    await closeConnections(plan, expired, poster).catch((error: unknown) => {
      logger.error('stream record not delivered: closing its connections failed', { eventID: record.eventID, error: error as Error });
      failed.add(record);
    });
  });
  return { batchItemFailures: records.filter((record) => failed.has(record)).map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' })) };
}

/** Delivers one record's messages; undefined when it failed (and is to be retried). */
async function deliverRecord(record: DynamoDBRecord, poster: ConnectionPoster, members: ChannelMembers) {
  try {
    const plan = planRecord(record);
    const result = await deliver(plan, poster, members);
    count('FanoutMessages', result.sent);
    count('FanoutGone', result.gone);
    count('FanoutFailures', result.failed);
    if (result.failed > 0) throw new Error(`${result.failed} posts failed`);
    if (result.sent + result.gone > 0) logger.debug('record delivered', { eventID: record.eventID, sent: result.sent, gone: result.gone });
    return { plan, result };
  } catch (error) {
    logger.error('stream record not delivered', { eventID: record.eventID, error: error as Error });
    return undefined;
  }
}
