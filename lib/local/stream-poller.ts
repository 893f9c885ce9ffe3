import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { STREAM_MAPPING, passesStreamFilters } from '../../shared/realtime/stream-filters';
import { localAwsEnv, localClient } from './dynamodb-local';
import type { LocalFunction } from './function-host';
import type { TtlSweeper } from './ttl-sweeper';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

const POLL_INTERVAL_MS = 100;
/** Records read ahead of their delivery before the poller waits for its lanes. */
const MAX_READ_AHEAD = 1000;

type WireValue = Record<string, unknown>;

/** The Streams client reads an empty map `{"M": {}}` back as `{}`; Lambda would deliver `{"M": {}}`. */
function repairValue(value: WireValue): WireValue {
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.M) return { M: repairImage(value.M as Record<string, WireValue>) };
  if (value.L) return { L: (value.L as WireValue[]).map(repairValue) };
  return value;
}

/** An item image from the Streams client with its empty maps mended (see repairValue). */
export const repairImage = (image: Record<string, WireValue> | undefined) =>
  image && Object.fromEntries(Object.entries(image).map(([name, value]) => [name, repairValue(value)]));

/**
 * DynamoDB Local quirks, mended so the handler sees what Lambda gives it: records carry no
 * `eventSourceARN`, `awsRegion` says `ddblocal`, the creation time is a Date (Lambda: epoch seconds,
 * which DynamoDB Local rounds to whole minutes anyway).
 */
function toLambdaRecord(record: StreamRecord, streamArn: string, ttl?: TtlSweeper): DynamoDBRecord {
  const created = record.dynamodb?.ApproximateCreationDateTime;
  const expired = record.eventName === 'REMOVE' && ttl?.wasExpired(record.dynamodb?.Keys as Record<string, AttributeValue> | undefined);
  return {
    ...(record as unknown as DynamoDBRecord),
    // A TTL deletion, as DynamoDB Streams marks it.
    ...(expired ? { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } } : {}),
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

/** A lane's records waiting for its function, with when they were read, and its worker while one runs. */
interface Lane {
  waiting: { record: DynamoDBRecord; readAt: number }[];
  worker?: Promise<void>;
}

/** How a batch ended: delivered, or given up on (the DLQ in AWS) with the reason. */
export interface DeadLetter {
  at: string;
  reason: string;
  records: { eventID?: string; eventName?: string; sequenceNumber?: string; keys: unknown }[];
}

/**
 * The local event source mapping, with the deployed mapping's semantics (STREAM_MAPPING): starts at
 * LATEST and keeps its checkpoint; applies the same filter criteria and then the batch size; runs
 * each shard's records in lanes by partition key (the parallelization factor), in order within a
 * lane; retries a failed batch (an error, a timeout, or a partial batch response naming an unknown
 * or empty id: the whole batch), bisecting it, up to the retry count and the maximum record age; a
 * partial batch response naming known records retries from the lowest of them. What it gives up on
 * is logged and appended to the dead-letter file, as AWS sends it to the DLQ.
 */
export async function startStreamPoller(options: {
  handler: LocalFunction;
  endpoint: string;
  tableName: string;
  /** Where dead letters are appended, one JSON line each. */
  deadLetterFile: string;
  /** Shorter retry pauses and record age (tests); the mapping's otherwise. */
  maxRecordAgeSeconds?: number;
  /** Tells TTL deletions apart from others. */
  ttl?: TtlSweeper;
  log: (line: Record<string, unknown>) => void;
}): Promise<{ stop(): Promise<void> }> {
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
  const maxAgeMs = (options.maxRecordAgeSeconds ?? STREAM_MAPPING.maxRecordAgeSeconds) * 1000;

  const iterators = new Map<string, string>();
  const closedShards = new Set<string>();
  /** Shards that existed at start begin at LATEST; shards that appear later hold only new records. */
  let firstDescribe = true;
  let describe = true;
  let running = true;

  async function refreshShards() {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId as string;
      if (iterators.has(shardId) || closedShards.has(shardId)) continue;
      const type = firstDescribe ? 'LATEST' : 'TRIM_HORIZON';
      const { ShardIterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type }));
      if (ShardIterator) iterators.set(shardId, ShardIterator);
    }
    firstDescribe = false;
    describe = false;
  }

  async function deadLetter(batch: DynamoDBRecord[], reason: string) {
    const letter: DeadLetter = {
      at: new Date().toISOString(),
      reason,
      records: batch.map((record) => ({ eventID: record.eventID, eventName: record.eventName, sequenceNumber: record.dynamodb?.SequenceNumber, keys: record.dynamodb?.Keys })),
    };
    options.log({ level: 'ERROR', message: 'stream records sent to the dead-letter file (the DLQ in AWS)', reason, records: batch.length, file: options.deadLetterFile });
    await mkdir(dirname(options.deadLetterFile), { recursive: true });
    await appendFile(options.deadLetterFile, `${JSON.stringify(letter)}\n`);
  }

  /** One batch to the function, retried and bisected like the mapping does; resolves when it is delivered or dead-lettered. */
  async function deliver(batch: DynamoDBRecord[], retriesLeft: number, firstSeen: number): Promise<void> {
    let failedFrom: number | 'all' | undefined;
    let reason = '';
    let functionError = false;
    try {
      const response = (await options.handler.invoke({ Records: batch } satisfies DynamoDBStreamEvent)) as DynamoDBBatchResponse | undefined;
      const ids = response?.batchItemFailures?.map((failure) => failure.itemIdentifier) ?? [];
      if (ids.length === 0) return;
      const sequence = batch.map((record) => record.dynamodb?.SequenceNumber);
      // An empty or unknown id fails the whole batch, as AWS reads it.
      failedFrom = ids.every((id) => id && sequence.includes(id)) ? Math.min(...ids.map((id) => sequence.indexOf(id))) : 'all';
      reason = `partial batch response (${ids.length} failed)`;
    } catch (error) {
      failedFrom = 'all';
      functionError = true;
      reason = (error as Error).message;
    }
    const pending = failedFrom === 'all' ? batch : batch.slice(failedFrom);
    if (retriesLeft === 0 || Date.now() - firstSeen > maxAgeMs) return deadLetter(pending, reason);
    await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** (STREAM_MAPPING.retryAttempts - retriesLeft)));
    if (functionError && pending.length > 1) {
      // Bisect on a function error: each half is retried on its own.
      const half = Math.ceil(pending.length / 2);
      await deliver(pending.slice(0, half), retriesLeft - 1, firstSeen);
      await deliver(pending.slice(half), retriesLeft - 1, firstSeen);
      return;
    }
    await deliver(pending, retriesLeft - 1, firstSeen);
  }

  /**
   * A lane delivers one batch at a time and then takes the next from whatever queued up meanwhile, up to the
   * batch size, as Lambda's poller does: a burst read while a batch runs goes out as one batch, not as many.
   */
  const lanes: Lane[] = Array.from({ length: STREAM_MAPPING.parallelizationFactor }, () => ({ waiting: [] }));
  /** Records read and waiting for their lane. */
  const queued = () => lanes.reduce((sum, lane) => sum + lane.waiting.length, 0);

  async function drain(lane: Lane) {
    while (lane.waiting.length > 0) {
      const batch = lane.waiting.splice(0, STREAM_MAPPING.batchSize);
      try {
        // A lane is first in, first out: the batch's first record is its oldest, whose age the mapping bounds.
        await deliver(
          batch.map((entry) => entry.record),
          STREAM_MAPPING.retryAttempts,
          (batch[0] as Lane['waiting'][number]).readAt,
        );
      } catch (error) {
        options.log({ level: 'ERROR', message: 'stream lane failed', error: (error as Error).message });
      }
    }
    lane.worker = undefined;
  }

  /**
   * A shard's new records, filtered, in lanes by partition key, each lane in order. As with the deployed
   * mapping, a lane busy with a slow batch does not hold up the other lanes, while the shard is read on.
   */
  function process(records: DynamoDBRecord[]) {
    const readAt = Date.now();
    for (const record of records) {
      const key = JSON.stringify(record.dynamodb?.Keys?.pk ?? '');
      lanes[createHash('md5').update(key).digest()[0]! % lanes.length]?.waiting.push({ record, readAt });
    }
    for (const lane of lanes) if (lane.waiting.length > 0) lane.worker ??= drain(lane);
  }

  const idle = () => Promise.all(lanes.map((lane) => lane.worker));

  /** One GetRecords per open shard; true when any shard had records (then poll again at once). */
  async function pollOnce(): Promise<boolean> {
    let busy = false;
    if (describe) await refreshShards();
    for (const [shardId, iterator] of iterators) {
      const { Records, NextShardIterator } = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      busy ||= (Records ?? []).length > 0;
      const records = (Records ?? []).map((record) => toLambdaRecord(record, streamArn as string, options.ttl)).filter(passesStreamFilters);
      if (records.length > 0) process(records);
      // Read ahead at most a few batches' worth: a lane that cannot deliver holds the shard back, as the mapping's checkpoint does.
      if (queued() > MAX_READ_AHEAD) await idle();
      if (NextShardIterator) iterators.set(shardId, NextShardIterator);
      else {
        iterators.delete(shardId);
        closedShards.add(shardId);
        describe = true;
      }
    }
    return busy;
  }

  // The shards that exist now start at LATEST: records from before this start are not news.
  await refreshShards();

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
      await idle();
      streams.destroy();
    },
  };
}
