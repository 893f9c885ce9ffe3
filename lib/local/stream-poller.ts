import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { streamConsumer } from '../../shared/http/routes';
import { passesStreamFilters } from '../../shared/realtime/stream-filters';
import { localAwsEnv, localClient } from './dynamodb-local';
import { lambdaContext, loadHandler } from './lambda-context';

type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;

const POLL_INTERVAL_MS = 100;
const BATCH_SIZE = 100;
const RETRY_ATTEMPTS = 3;

type WireValue = Record<string, unknown>;

/** The Streams client reads an empty map `{"M": {}}` back as `{}`; Lambda would deliver `{"M": {}}`. */
function repairValue(value: WireValue): WireValue {
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.M) return { M: repairImage(value.M as Record<string, WireValue>) };
  if (value.L) return { L: (value.L as WireValue[]).map(repairValue) };
  return value;
}

const repairImage = (image: Record<string, WireValue> | undefined) =>
  image && Object.fromEntries(Object.entries(image).map(([name, value]) => [name, repairValue(value)]));

/**
 * DynamoDB Local quirks, mended so the handler sees what Lambda gives it: records carry no
 * `eventSourceARN`, `awsRegion` says `ddblocal`, the creation time is a Date (Lambda: epoch seconds,
 * which DynamoDB Local rounds to whole minutes anyway).
 */
function toLambdaRecord(record: StreamRecord, streamArn: string): DynamoDBRecord {
  const created = record.dynamodb?.ApproximateCreationDateTime;
  return {
    ...(record as unknown as DynamoDBRecord),
    eventSourceARN: streamArn.replace('ddblocal', localAwsEnv.AWS_REGION),
    awsRegion: localAwsEnv.AWS_REGION,
    dynamodb: {
      ...(record.dynamodb as unknown as DynamoDBRecord['dynamodb']),
      NewImage: repairImage(record.dynamodb?.NewImage as Record<string, WireValue> | undefined),
      OldImage: repairImage(record.dynamodb?.OldImage as Record<string, WireValue> | undefined),
      ApproximateCreationDateTime: created ? Math.floor(new Date(created).getTime() / 1000) : undefined,
    } as DynamoDBRecord['dynamodb'],
  };
}

/**
 * The local event source mapping: reads every shard of the table's stream from TRIM_HORIZON,
 * keeps going from its checkpoint, re-describes the stream when a shard closes, applies the same
 * filter criteria as the deployed mapping, and invokes the stream handler with genuine DynamoDB
 * Streams events, retrying the records it reports in `batchItemFailures` a bounded number of times.
 */
export async function startStreamPoller(options: {
  root: URL;
  endpoint: string;
  tableName: string;
  log: (line: Record<string, unknown>) => void;
}): Promise<{ stop(): Promise<void> }> {
  const handler = await loadHandler<StreamHandler>(options.root.href, streamConsumer.entry, options.log);
  const client = localClient(options.endpoint);
  const { Table } = await client.send(new DescribeTableCommand({ TableName: options.tableName }));
  client.destroy();
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`Table ${options.tableName} has no stream`);
  const streams = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region: localAwsEnv.AWS_REGION,
    credentials: { accessKeyId: localAwsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: localAwsEnv.AWS_SECRET_ACCESS_KEY },
  });

  const iterators = new Map<string, string>();
  const closedShards = new Set<string>();
  let describe = true;
  let running = true;

  async function refreshShards() {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId as string;
      if (iterators.has(shardId) || closedShards.has(shardId)) continue;
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      if (ShardIterator) iterators.set(shardId, ShardIterator);
    }
    describe = false;
  }

  async function invoke(records: DynamoDBRecord[]) {
    let pending = records;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const response = await handler({ Records: pending }, lambdaContext('fanout', randomUUID()));
      const failed = new Set(response?.batchItemFailures?.map((failure) => failure.itemIdentifier) ?? []);
      if (failed.size === 0) return;
      // Like Lambda: start again from the first failed record.
      const first = pending.findIndex((record) => failed.has(record.dynamodb?.SequenceNumber ?? ''));
      pending = pending.slice(first);
      if (attempt === RETRY_ATTEMPTS) {
        options.log({ level: 'ERROR', message: 'stream records dropped after retries (the DLQ in AWS)', records: pending.length });
        return;
      }
    }
  }

  /** One GetRecords per open shard; true when any shard had records (then poll again at once). */
  async function pollOnce(): Promise<boolean> {
    let busy = false;
    if (describe) await refreshShards();
    for (const [shardId, iterator] of iterators) {
      const { Records, NextShardIterator } = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: BATCH_SIZE }));
      if (NextShardIterator) iterators.set(shardId, NextShardIterator);
      else {
        iterators.delete(shardId);
        closedShards.add(shardId);
        describe = true;
      }
      busy ||= (Records ?? []).length > 0;
      const records = (Records ?? []).map((record) => toLambdaRecord(record, streamArn as string)).filter(passesStreamFilters);
      if (records.length > 0) await invoke(records);
    }
    return busy;
  }

  const loop = (async () => {
    while (running) {
      let busy = false;
      try {
        busy = await pollOnce();
      } catch (error) {
        if (running) options.log({ level: 'ERROR', message: 'stream poll failed', error: (error as Error).message });
        describe = true;
      }
      // Empty GetRecords answers at once on DynamoDB Local: pace the loop while the stream is quiet.
      if (!busy) await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  })();

  return {
    stop: async () => {
      running = false;
      await loop;
      streams.destroy();
    },
  };
}
