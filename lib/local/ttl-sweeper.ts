import { DeleteItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '../../shared/db/table-definition';
import { localClient } from './dynamodb-local';

/**
 * DynamoDB's TTL, which DynamoDB Local lacks: every `intervalSeconds` it deletes the items whose
 * `ttl` has passed (AWS does it within days, usually minutes; here within the interval while the
 * table is small, within a few intervals once it is big, see SWEEP_PAGES), each with a
 * condition that it is still expired. The stream poller marks the REMOVE records of these deletions
 * as TTL's (`userIdentity` of the DynamoDB service), so expired tokens close their sockets locally too.
 */
export interface TtlSweeper {
  /** Whether this REMOVE (by its keys) was a TTL deletion; asked once per record. */
  wasExpired(keys: Record<string, AttributeValue> | undefined): boolean;
  stop(): void;
}

const keyOf = (keys: Record<string, AttributeValue> | undefined) => `${keys?.pk?.S ?? ''}\u0000${keys?.sk?.S ?? ''}`;

/**
 * Items a sweep's Scan evaluates per call, the pause between calls, and the most pages one sweep
 * reads. A whole-table Scan every 30 s held DynamoDB Local for seconds once the table had grown (the
 * soak run's p99 rose with it). In small pages the functions' calls get in between; and a sweep reads
 * at most SWEEP_PAGES of them, the next sweep going on where it stopped (from the start again after the
 * table's end), so DynamoDB Local spends a bounded time per interval on TTL however big the table is,
 * and a big table is swept over several intervals, as DynamoDB's own TTL takes its time. 2,000 items
 * per 30 s sweep still goes through the table of a 30-minute soak (about 300,000 items) in 75 minutes
 * (TTL on AWS may take days); with 20 pages per sweep the soak's p99 still drifted by a quarter.
 */
const SWEEP_PAGE_ITEMS = 500;
const SWEEP_PAUSE_MS = 20;
const SWEEP_PAGES = 4;

export function startTtlSweeper(options: { endpoint: string; tableName: string; intervalSeconds?: number; log: (line: Record<string, unknown>) => void }): TtlSweeper {
  const client = localClient(options.endpoint);
  const attribute = tableDefinition.timeToLiveAttribute;
  const swept = new Set<string>();
  let sweeping = false;
  /** Where the next sweep goes on; undefined: from the table's start. */
  let cursor: Record<string, AttributeValue> | undefined;

  async function sweep() {
    if (sweeping) return;
    sweeping = true;
    try {
      const now = String(Math.floor(Date.now() / 1000));
      for (let pages = 0; pages < SWEEP_PAGES; pages++) {
        const page = await client.send(
          new ScanCommand({
            TableName: options.tableName,
            FilterExpression: '#ttl < :now',
            ExpressionAttributeNames: { '#ttl': attribute },
            ExpressionAttributeValues: { ':now': { N: now } },
            ProjectionExpression: 'pk, sk',
            ExclusiveStartKey: cursor,
            Limit: SWEEP_PAGE_ITEMS,
          }),
        );
        for (const key of page.Items ?? []) {
          swept.add(keyOf(key));
          await client
            .send(
              new DeleteItemCommand({
                TableName: options.tableName,
                Key: key,
                ConditionExpression: '#ttl < :now',
                ExpressionAttributeNames: { '#ttl': attribute },
                ExpressionAttributeValues: { ':now': { N: now } },
              }),
            )
            .catch(() => swept.delete(keyOf(key)));
        }
        cursor = page.LastEvaluatedKey;
        if (!cursor) break;
        // A small page, then room for the functions' own calls: DynamoDB's TTL never competes with them.
        await new Promise((resolve) => setTimeout(resolve, SWEEP_PAUSE_MS));
      }
    } catch (error) {
      options.log({ level: 'ERROR', message: 'TTL sweep failed', error: (error as Error).message });
    } finally {
      sweeping = false;
    }
  }

  const timer = setInterval(() => void sweep(), (options.intervalSeconds ?? 30) * 1000);
  timer.unref();
  return {
    wasExpired: (keys) => swept.delete(keyOf(keys)),
    stop: () => {
      clearInterval(timer);
      client.destroy();
    },
  };
}
