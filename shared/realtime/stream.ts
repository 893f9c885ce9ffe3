import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';
import { deliver } from './fanout';
import type { ConnectionPoster } from './fanout';
import { planRecord } from './messages';

/**
 * The stream consumer: records in order, each mapped to messages and delivered. A record whose
 * delivery failed (other than 410) or threw is reported in `batchItemFailures`, and only those, so
 * Lambda retries from there (bisecting the batch) and finally sends it to the DLQ.
 */
export async function processStreamRecords(records: DynamoDBRecord[], poster: ConnectionPoster): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of records) {
    try {
      const result = await deliver(planRecord(record), poster);
      count('FanoutMessages', result.sent);
      count('FanoutGone', result.gone);
      count('FanoutFailures', result.failed);
      if (result.failed > 0) throw new Error(`${result.failed} posts failed`);
      if (result.sent + result.gone > 0) logger.debug('record delivered', { eventID: record.eventID, ...result });
    } catch (error) {
      logger.error('stream record not delivered', { eventID: record.eventID, error: error as Error });
      batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
    }
  }
  return { batchItemFailures };
}
