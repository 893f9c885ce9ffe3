import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { GetRecordsCommandOutput } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { localAwsEnv } from '../../lib/local/dynamodb-local';
import { repairImage } from '../../lib/local/stream-poller';

type Image = Record<string, unknown>;

/** One item's change over a stretch of the stream: as it was before the first record and after the last. */
export interface ItemChange {
  pk: string;
  sk: string;
  before?: Image;
  after?: Image;
}

/** Writes a refused request makes by design: counting failures against their source, guarding a session, auditing the refusal. */
const REFUSALS_RECORDED = [
  (c: ItemChange) => c.pk.startsWith('IP#'),
  (c: ItemChange) => /^(LOGIN_ATTEMPTS|LOGIN_SOURCE|DEVICE)#/.test(c.sk),
  (c: ItemChange) => c.sk === 'PIN_GUARD' || c.sk.startsWith('PIN_SOURCE#'),
  (c: ItemChange) => c.pk.startsWith('AUDIT#'),
];

/**
 * Whether a refused request may have made this change: a refusal recorded by design (see
 * REFUSALS_RECORDED), or one of the writes that happen by themselves meanwhile: TTL deleting an
 * expired item, a timed 86 ending (the availability timer makes the dish available again).
 */
export function mayChangeOnRefusal(change: ItemChange, now = Date.now()): boolean {
  const expired = !change.after && typeof change.before?.ttl === 'number' && change.before.ttl * 1000 <= now;
  const eightySixEnded = Boolean(change.before?.availableAgainAt) && change.after?.available === true && !change.after?.availableAgainAt;
  return expired || eightySixEnded || REFUSALS_RECORDED.some((allowed) => allowed(change));
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));

/**
 * Follows the table's stream from now on: every write any request makes shows up there, so reading it
 * after each request tells exactly which items that request changed (the before/after snapshot of every
 * partition it touched, without scanning the table).
 */
export class ChangeWatcher {
  private readonly streams: DynamoDBStreamsClient;
  private readonly iterators = new Map<string, string>();
  private readonly closed = new Set<string>();
  private streamArn = '';
  private reads = 0;

  constructor(
    private readonly endpoint: string,
    private readonly tableName: string,
  ) {
    const credentials = { accessKeyId: localAwsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: localAwsEnv.AWS_SECRET_ACCESS_KEY };
    this.streams = new DynamoDBStreamsClient({ endpoint, region: localAwsEnv.AWS_REGION, credentials });
  }

  async start(): Promise<void> {
    const client = new DynamoDBClient({ endpoint: this.endpoint, region: localAwsEnv.AWS_REGION, credentials: { accessKeyId: localAwsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: localAwsEnv.AWS_SECRET_ACCESS_KEY } });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: this.tableName }));
    client.destroy();
    this.streamArn = Table?.LatestStreamArn ?? '';
    if (!this.streamArn) throw new Error(`table ${this.tableName} has no stream`);
    await this.describe('LATEST');
  }

  private async describe(type: 'LATEST' | 'TRIM_HORIZON') {
    const { StreamDescription } = await this.streams.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId as string;
      if (this.iterators.has(shardId) || this.closed.has(shardId)) continue;
      const { ShardIterator } = await this.streams.send(new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: shardId, ShardIteratorType: type }));
      if (ShardIterator) this.iterators.set(shardId, ShardIterator);
    }
  }

  /** Every item changed since the last call, with its net change; items written and restored cancel out. */
  async changesSinceLastRead(): Promise<ItemChange[]> {
    // New shards hold only records written after the old ones closed: read them from their start.
    if (++this.reads % 100 === 0) await this.describe('TRIM_HORIZON');
    const byKey = new Map<string, ItemChange>();
    for (const [shardId, iterator] of [...this.iterators]) {
      let next: string | undefined = iterator;
      while (next) {
        const page: GetRecordsCommandOutput = await this.streams.send(new GetRecordsCommand({ ShardIterator: next, Limit: 1000 }));
        for (const record of page.Records ?? []) {
          const keys = unmarshall((record.dynamodb?.Keys ?? {}) as Record<string, AttributeValue>) as { pk: string; sk: string };
          const id = `${keys.pk}\u0000${keys.sk}`;
          const image = (value: unknown) => (value ? unmarshall(repairImage(value as Record<string, Record<string, unknown>>) as unknown as Record<string, AttributeValue>) : undefined);
          const change: ItemChange = byKey.get(id) ?? { pk: keys.pk, sk: keys.sk, before: image(record.dynamodb?.OldImage) };
          change.after = image(record.dynamodb?.NewImage);
          byKey.set(id, change);
        }
        if (!page.NextShardIterator) {
          this.iterators.delete(shardId);
          this.closed.add(shardId);
          await this.describe('TRIM_HORIZON');
          break;
        }
        this.iterators.set(shardId, page.NextShardIterator);
        next = (page.Records ?? []).length > 0 ? page.NextShardIterator : undefined;
      }
    }
    return [...byKey.values()].filter((change) => canonical(change.before) !== canonical(change.after));
  }

  stop() {
    this.streams.destroy();
  }
}
