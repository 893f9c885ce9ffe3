import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { localClient } from '../../lib/local/dynamodb-local';
import type { LocalFunction } from '../../lib/local/function-host';
import { startStreamPoller } from '../../lib/local/stream-poller';
import type { DeadLetter } from '../../lib/local/stream-poller';

/** The local event source mapping retries, bisects and dead-letters like the deployed one. */
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

const run = randomUUID();
const pkOf = (record: DynamoDBRecord) => record.dynamodb?.Keys?.pk?.S ?? '';
const ours = (record: DynamoDBRecord) => pkOf(record).startsWith(`STREAM#${run}`);

/** Writes items of a type the filters pass (a cart change), one partition each, or `sk` each in one partition. */
async function write(names: string[], sks = ['X']) {
  const db = localClient(inject('dynamoDbEndpoint'));
  for (const name of names) {
    for (const sk of sks) await db.send(new PutItemCommand({ TableName: inject('tableName'), Item: { pk: { S: `STREAM#${run}#${name}` }, sk: { S: sk }, type: { S: 'Cart' } } }));
  }
  db.destroy();
}

async function poller(handle: (records: DynamoDBRecord[]) => unknown) {
  const deadLetterFile = `${tmpdir()}/dead-letters-${randomUUID()}.jsonl`;
  const fn: LocalFunction = {
    invoke: async (event) => handle((event as DynamoDBStreamEvent).Records.filter(ours)),
    stop: async () => undefined,
  };
  const started = await startStreamPoller({ handler: fn, endpoint: inject('dynamoDbEndpoint'), tableName: inject('tableName'), deadLetterFile, log: () => undefined });
  stops.push(() => started.stop());
  const letters = async (): Promise<DeadLetter[]> =>
    (await readFile(deadLetterFile, 'utf8').catch(() => '')).split('\n').filter(Boolean).map((line) => JSON.parse(line));
  return { letters };
}

const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('the local stream mapping', () => {
  it('sends what queued behind a slow batch as one next batch, in order, as Lambda does, not one batch per read', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batches: string[][] = [];
    await poller(async (records) => {
      const burst = records.filter((record) => pkOf(record).endsWith('#burst')).map((record) => record.dynamodb?.Keys?.sk?.S ?? '');
      if (burst.length === 0) return {};
      batches.push(burst);
      if (batches.length === 1) await gate;
      return {};
    });
    await write(['burst'], ['0']);
    await until(() => batches.length === 1);
    // Five writes while the lane's batch runs, each long enough after the last to come in a read of its own.
    for (const sk of ['1', '2', '3', '4', '5']) {
      await write(['burst'], [sk]);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    release();
    await until(() => batches.flat().length === 6);
    expect(batches).toEqual([['0'], ['1', '2', '3', '4', '5']]);
  });

  it('retries the whole batch when a partial batch response names an unknown or empty id', async () => {
    const batchesWithA: string[][] = [];
    await poller((records) => {
      const pks = records.map(pkOf);
      if (!pks.some((pk) => pk.endsWith('#a'))) return {};
      batchesWithA.push(pks);
      const failures = [[{ itemIdentifier: 'not-a-sequence-number' }], [{ itemIdentifier: '' }]][batchesWithA.length - 1] ?? [];
      return { batchItemFailures: failures };
    });
    await write(['a', 'b', 'c']);
    await until(() => batchesWithA.length >= 3);
    // Each failing answer had the whole batch delivered again, not only its last record.
    expect(batchesWithA[1]).toEqual(batchesWithA[0]);
    expect(batchesWithA[2]).toEqual(batchesWithA[0]);
  });

  it('retries a failing batch with bisection, then dead-letters only the record that keeps failing; nothing else is lost', async () => {
    const delivered = new Set<string>();
    const attemptsOnPoison: number[] = [];
    const { letters } = await poller((records) => {
      if (records.some((record) => pkOf(record).endsWith('#poison'))) {
        attemptsOnPoison.push(records.length);
        throw new Error('the fan-out failed');
      }
      for (const record of records) delivered.add(pkOf(record).split('#').pop() as string);
      return {};
    });
    await write(['one', 'two', 'poison', 'three', 'four']);
    await until(async () => (await letters()).length > 0);
    await until(() => delivered.size === 4);
    expect([...delivered].sort()).toEqual(['four', 'one', 'three', 'two']);
    const [letter] = await letters();
    expect(letter?.records.map((record) => (record.keys as { pk: { S: string } }).pk.S)).toEqual([`STREAM#${run}#poison`]);
    expect(letter?.reason).toBe('the fan-out failed');
    expect(attemptsOnPoison.length).toBeGreaterThanOrEqual(2);
  });
});
