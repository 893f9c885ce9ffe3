import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HANDSHAKE_SECONDS, getConnection, listChannel, saveConnection } from '../../shared/db/connections';
import type { Connection } from '../../shared/db/connections';
import { channels } from '../../shared/realtime/channels';
import { PostBatch, forEachBounded, postBatch } from '../../shared/realtime/posting';
import type { ConnectionPoster } from '../../shared/realtime/posting';
import { processStreamRecords } from '../../shared/realtime/stream';
import { planRecord } from '../../shared/realtime/messages';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../shared/db/client';
import { keys } from '../../shared/db/keys';
import { ENTITY } from '../../shared/db/entities';
import { measureDynamoDb } from '../../shared/observability/dynamodb-usage';
import type { DynamoDbUsage } from '../../shared/observability/dynamodb-usage';

const sessionId = () => `S${randomUUID()}`;

/** A phone's connection, by default one established a minute ago (its handshake long over). */
async function guestConnection(session: string, name: string, connectedAt = new Date(Date.now() - 60_000)): Promise<string> {
  const connectionId = `${name}-${randomUUID()}`;
  const connection: Connection = {
    connectionId,
    kind: 'guest',
    restaurantId: 'R1',
    tokenHash: `hash-${connectionId}`,
    sessionId: session,
    guestId: name,
    mode: 'FAMILY',
    channels: [channels.session(session), channels.guests('R1')],
    connectedAt: connectedAt.toISOString(),
  };
  await saveConnection(connection, connectedAt);
  return connectionId;
}

/** A genuine stream record of a FAMILY cart changing. */
function cartRecord(session: string, sequence: string, version: number): DynamoDBRecord {
  const cart = { pk: `SESSION#${session}`, sk: 'CART#FAMILY', type: 'Cart', sessionId: session, owner: 'FAMILY', version, lines: {} };
  return {
    eventID: `event-${sequence}`,
    eventName: 'MODIFY',
    eventSource: 'aws:dynamodb',
    eventVersion: '1.1',
    awsRegion: 'eu-west-1',
    eventSourceARN: 'arn:aws:dynamodb:eu-west-1:000000000000:table/t/stream/x',
    dynamodb: {
      SequenceNumber: sequence,
      ApproximateCreationDateTime: 1_800_000_000,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      Keys: marshall({ pk: cart.pk, sk: cart.sk }) as never,
      NewImage: marshall(cart) as never,
      OldImage: marshall({ ...cart, version: version - 1 }) as never,
    },
  };
}

/** A genuine stream record of an order placed at a session of restaurant R1. */
function orderRecord(session: string, sequence: string, orderId: string): DynamoDBRecord {
  const order = {
    pk: `SESSION#${session}`,
    sk: `ORDER#${orderId}`,
    type: 'Order',
    orderId,
    sessionId: session,
    restaurantId: 'R1',
    tableId: 'T1',
    tableName: 'Table 7',
    number: Number(sequence),
    status: 'PLACED',
    placedAt: '2030-01-01T19:00:00.000Z',
    placedBy: 'a',
    totalCents: 1150,
    revision: 0,
    lines: [{ lineId: 'L1', itemId: 'I1', name: 'Dish', quantity: 1, unitPriceCents: 1150, notes: '', station: 'GRILL', allergens: [], status: 'QUEUED', updatedAt: '2030-01-01T19:00:00.000Z' }],
  };
  return {
    eventID: `event-${sequence}`,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: { SequenceNumber: sequence, ApproximateCreationDateTime: 1_800_000_000, Keys: marshall({ pk: order.pk, sk: order.sk }) as never, NewImage: marshall(order) as never },
  };
}

/** A poster whose answer per connection the test decides. */
function poster(failures: Record<string, Error>) {
  const posted: { connectionId: string; message: { type: string; id: string } }[] = [];
  const stub: ConnectionPoster = {
    post: async (connectionId, payload) => {
      const failure = Object.entries(failures).find(([prefix]) => connectionId.startsWith(prefix))?.[1];
      if (failure) throw failure;
      posted.push({ connectionId, message: JSON.parse(payload) });
    },
    close: async () => undefined,
  };
  return { stub, posted };
}

const httpError = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

/** A stream record of any item changing, keyed by the image's own keys. */
function changeRecord(sequence: string, eventName: 'MODIFY' | 'REMOVE', images: { NewImage?: Record<string, unknown>; OldImage: Record<string, unknown> }): DynamoDBRecord {
  const { pk, sk } = images.OldImage;
  return {
    eventID: `event-${sequence}`,
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: sequence,
      ApproximateCreationDateTime: 1_800_000_000,
      Keys: marshall({ pk, sk }) as never,
      ...(images.NewImage ? { NewImage: marshall(images.NewImage) as never } : {}),
      OldImage: marshall(images.OldImage) as never,
    },
  };
}

describe('stream fan-out with failing connections (DynamoDB Local)', () => {
  it('forgets gone connections, still serves the others, and reports only the records that failed', async () => {
    const [quiet, troubled] = [sessionId(), sessionId()];
    const alive = await guestConnection(quiet, 'alive');
    const gone = await guestConnection(quiet, 'gone');
    const throttled = await guestConnection(troubled, 'throttled');
    const broken = await guestConnection(troubled, 'broken');
    const healthyNeighbour = await guestConnection(troubled, 'neighbour');
    const { stub, posted } = poster({
      gone: httpError('GoneException', 410),
      throttled: httpError('LimitExceededException', 429),
      broken: httpError('InternalServerErrorException', 500),
    });

    const response = await processStreamRecords([cartRecord(quiet, '100', 3), cartRecord(troubled, '200', 7)], stub);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '200' }] });
    expect(posted.map((p) => p.connectionId).sort()).toEqual([alive, healthyNeighbour].sort());
    expect(posted.find((p) => p.connectionId === alive)?.message).toMatchObject({ type: 'cart.updated', id: 'event-100:cart.updated' });
    expect(await getConnection(gone)).toBeUndefined();
    expect((await listChannel(channels.session(quiet))).map((m) => m.connectionId)).toEqual([alive]);
    for (const kept of [throttled, broken]) expect(await getConnection(kept)).toBeDefined();
  });

  it('reads each channel once per batch, however many of its records go there, folds a cart\'s changes into its last, and skips a gone socket after it is found', async () => {
    const [busy, quiet] = [sessionId(), sessionId()];
    const phones = await Promise.all(['a', 'b', 'c'].map((name) => guestConnection(busy, name)));
    const gone = await guestConnection(busy, 'gone');
    const quietPhone = await guestConnection(quiet, 'quiet');
    const { stub, posted } = poster({ gone: httpError('GoneException', 410) });
    // A burst: 20 orders placed at one table and 5 taps on another table's cart, in one batch.
    const orders = Array.from({ length: 20 }, (_, i) => orderRecord(busy, String(1000 + i), `O${i}`));
    const taps = Array.from({ length: 5 }, (_, i) => cartRecord(quiet, String(2000 + i), i + 1));
    let usage: DynamoDbUsage | undefined;
    const response = await measureDynamoDb(() => processStreamRecords([...orders, ...taps], stub), (measured) => (usage = measured));

    expect(response.batchItemFailures).toEqual([]);
    // Three channels (the busy table, its restaurant's kitchen, the quiet table): three Queries for 25 records.
    expect(usage?.calls.filter((call) => call.operation === 'Query')).toHaveLength(3);
    for (const phone of phones) {
      expect(posted.filter((p) => p.connectionId === phone).map((p) => p.message.id)).toEqual(orders.map((r) => `${r.eventID}:order.placed`));
    }
    // The five taps are one message with the last cart.
    expect(posted.filter((p) => p.connectionId === quietPhone).map((p) => p.message.id)).toEqual([`${taps[4]?.eventID}:cart.updated`]);
    expect(await getConnection(gone)).toBeUndefined();
    expect(posted.filter((p) => p.connectionId === gone)).toEqual([]);
  });

  it('keeps a socket still in its handshake (API Gateway answers 410 until $connect returns), and later records post to it again', async () => {
    const table = sessionId();
    const connecting = await guestConnection(table, 'gone-connecting', new Date());
    const dead = await guestConnection(table, 'gone-dead', new Date(Date.now() - (HANDSHAKE_SECONDS + 1) * 1000));
    const { stub } = poster({ gone: httpError('GoneException', 410) });
    let attempts = 0;
    const counting: ConnectionPoster = {
      ...stub,
      post: async (connectionId, payload) => {
        if (connectionId === connecting) attempts++;
        return stub.post(connectionId, payload);
      },
    };

    const response = await processStreamRecords([orderRecord(table, '300', 'O1'), orderRecord(table, '301', 'O2')], counting);

    expect(response.batchItemFailures).toEqual([]);
    expect(await getConnection(connecting)).toBeDefined();
    expect((await listChannel(channels.session(table))).map((m) => m.connectionId)).toEqual([connecting]);
    expect(attempts).toBe(2);
    expect(await getConnection(dead)).toBeUndefined();
  });

  it('gives a redelivered record the same message id', async () => {
    const session = sessionId();
    await guestConnection(session, 'phone');
    const { stub, posted } = poster({});
    const record = cartRecord(session, '300', 2);
    await processStreamRecords([record], stub);
    await processStreamRecords([record], stub);
    expect(posted.map((p) => p.message.id)).toEqual(['event-300:cart.updated', 'event-300:cart.updated']);
  });

  it("closes a closed session's sockets after telling them, and leaves forgetting them to their $disconnect, but for one API Gateway no longer knows", async () => {
    const session = sessionId();
    const [open, gone] = [await guestConnection(session, 'open'), await guestConnection(session, 'gone')];
    const events: string[] = [];
    const stub: ConnectionPoster = {
      post: async (connectionId, payload) => void events.push(`post ${connectionId} ${(JSON.parse(payload) as { type: string }).type}`),
      close: async (connectionId) => {
        events.push(`close ${connectionId}`);
        if (connectionId === gone) throw httpError('GoneException', 410);
      },
    };
    const item = { pk: `SESSION#${session}`, sk: 'SESSION', type: ENTITY.tableSession, sessionId: session, restaurantId: 'R1' };

    const response = await processStreamRecords([changeRecord('700', 'MODIFY', { NewImage: { ...item, status: 'CLOSED' }, OldImage: { ...item, status: 'OPEN' } })], stub);

    expect(response.batchItemFailures).toEqual([]);
    expect(events.filter((e) => e.startsWith('post')).sort()).toEqual([`post ${gone} session.closed`, `post ${open} session.closed`].sort());
    expect(events.filter((e) => e.startsWith('close')).sort()).toEqual([`close ${gone}`, `close ${open}`].sort());
    // Its $disconnect forgets the one closed; the one already gone has no $disconnect to come and is forgotten now.
    expect(await getConnection(open)).toBeDefined();
    expect(await getConnection(gone)).toBeUndefined();
    expect((await listChannel(channels.session(session))).map((m) => m.connectionId)).toEqual([open]);
  });

  it('closes a removed guest\'s socket only after the batch told them: guest.removed first, whichever partition comes first', async () => {
    const session = sessionId();
    const phone = await guestConnection(session, 'removed');
    const events: string[] = [];
    const stub: ConnectionPoster = {
      // A post that takes its time, as one to a phone on a weak network does.
      post: async (connectionId, payload) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        events.push(`post ${connectionId} ${(JSON.parse(payload) as { type: string }).type}`);
      },
      close: async (connectionId) => void events.push(`close ${connectionId}`),
    };
    const guest = { pk: `SESSION#${session}`, sk: 'GUEST#removed', type: 'Guest', sessionId: session, guestId: 'removed', removedAt: null };
    const token = { pk: `TOKEN#hash-${phone}`, sk: 'TOKEN', type: 'Token' };
    // The token's revocation first in the batch, in a partition of its own, as removeGuest writes them.
    const response = await processStreamRecords(
      [
        changeRecord('500', 'REMOVE', { OldImage: token }),
        changeRecord('501', 'MODIFY', { NewImage: { ...guest, removedAt: new Date().toISOString() }, OldImage: guest }),
      ],
      stub,
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(events).toEqual([`post ${phone} guest.removed`, `close ${phone}`]);
  });

  it('tells a removed guest why their socket closes when the revocation comes in a batch of its own (the other lane), and a guest whose token just ended nothing', async () => {
    const session = sessionId();
    const [removed, leaving] = [await guestConnection(session, 'removed'), await guestConnection(session, 'leaving')];
    const guestItem = (guestId: string) => ({ ...keys.guest(session, guestId), type: 'Guest', sessionId: session, guestId, name: null, joinedAt: new Date().toISOString() });
    await db().send(new PutCommand({ TableName: tableName(), Item: { ...guestItem('removed'), removedAt: new Date().toISOString() } }));
    await db().send(new PutCommand({ TableName: tableName(), Item: guestItem('leaving') }));
    const events: string[] = [];
    const stub: ConnectionPoster = {
      post: async (connectionId, payload) => void events.push(`post ${connectionId} ${(JSON.parse(payload) as { id: string }).id}`),
      close: async (connectionId) => void events.push(`close ${connectionId}`),
    };
    const tokenOf = (connectionId: string, guestId: string) => ({ ...keys.token(`hash-${connectionId}`), type: 'Token', kind: 'guest', restaurantId: 'R1', sessionId: session, guestId });

    expect((await processStreamRecords([changeRecord('600', 'REMOVE', { OldImage: tokenOf(removed, 'removed') })], stub)).batchItemFailures).toEqual([]);
    expect((await processStreamRecords([changeRecord('601', 'REMOVE', { OldImage: tokenOf(leaving, 'leaving') })], stub)).batchItemFailures).toEqual([]);

    // The same id as the guest's own record gives it, so a phone that hears both drops the second.
    const id = planRecord(changeRecord('602', 'MODIFY', { NewImage: { ...guestItem('removed'), removedAt: 'now' }, OldImage: guestItem('removed') }))
      .deliveries[0]?.build({ connectionId: removed, kind: 'guest', guestId: 'removed', mode: 'FAMILY' })?.id;
    expect(id).toBe(`${session}:removed:guest.removed`);
    expect(events).toEqual([`post ${removed} ${id}`, `close ${removed}`, `close ${leaving}`]);
  });

  it('spreads a 1,000-member channel over delivery invocations of at most 150 posts side by side: within half the timeout, every member once, the gone forgotten', async () => {
    const session = sessionId();
    const phones: string[] = [];
    await forEachBounded(Array.from({ length: 1000 }, (_, i) => i), 20, async (i) => void phones.push(await guestConnection(session, i < 10 ? `gone${i}` : `p${i}`)));
    const heard = new Map<string, number>();
    const slowPost: ConnectionPoster = {
      // A post that takes 100 ms: 1,000 of them 16 at a time would take 6.3 s, past half the fan-out's 10 s timeout.
      post: async (connectionId) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (connectionId.startsWith('gone')) throw httpError('GoneException', 410);
        heard.set(connectionId, (heard.get(connectionId) ?? 0) + 1);
      },
      close: async () => undefined,
    };
    const shares: { posts: number; payloads: number; bytes: number }[] = [];
    let running = 0;
    let mostAtOnce = 0;
    const stub: ConnectionPoster = {
      ...slowPost,
      // The delivery function as the fan-out invokes it: the share crosses as JSON and is validated there.
      spread: async (batch) => {
        const payload = JSON.stringify(batch);
        shares.push({ posts: batch.posts.length, payloads: batch.payloads.length, bytes: Buffer.byteLength(payload) });
        mostAtOnce = Math.max(mostAtOnce, ++running);
        try {
          return await postBatch(PostBatch.parse(JSON.parse(payload)), slowPost);
        } finally {
          running--;
        }
      },
    };

    const started = performance.now();
    const response = await processStreamRecords([cartRecord(session, '700', 2)], stub);
    const elapsed = performance.now() - started;

    expect(response.batchItemFailures).toEqual([]);
    expect(elapsed).toBeLessThan(5_000);
    expect(shares.map((share) => share.posts)).toEqual([150, 150, 150, 150, 150, 150, 100]);
    expect(shares.every((share) => share.payloads === 1 && share.bytes < 6 * 1024 * 1024)).toBe(true);
    expect(mostAtOnce).toBe(7);
    expect(heard.size).toBe(990);
    expect([...heard.values()].every((times) => times === 1)).toBe(true);
    expect((await listChannel(channels.session(session))).length).toBe(990);
  });

  it('retries a record whose delivery invocation failed, and posts a small channel itself', async () => {
    const [big, small] = [sessionId(), sessionId()];
    await forEachBounded(Array.from({ length: 151 }, (_, i) => i), 20, async (i) => void (await guestConnection(big, `p${i}`)));
    const phone = await guestConnection(small, 'phone');
    const { stub, posted } = poster({});
    const invocations: number[] = [];
    const response = await processStreamRecords([cartRecord(big, '800', 2), cartRecord(small, '801', 2)], {
      ...stub,
      spread: async (batch) => {
        invocations.push(batch.posts.length);
        if (batch.posts.length === 1) throw httpError('TooManyRequestsException', 429);
        return postBatch(batch, stub);
      },
    });

    expect(invocations.sort()).toEqual([1, 150]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '800' }]);
    expect(posted.filter((p) => p.connectionId === phone)).toHaveLength(1);
  });

  it('holds back the rest of a partition after a record that cannot be planned, and delivers the other partitions', async () => {
    const [session, neighbour] = [sessionId(), sessionId()];
    await guestConnection(session, 'phone');
    const neighbourPhone = await guestConnection(neighbour, 'neighbour');
    const { stub, posted } = poster({});
    // An order that cannot be planned (a change of the same cart would be folded into the later one instead).
    const broken = orderRecord(session, '400', 'O-broken');
    (broken.dynamodb as { NewImage: unknown }).NewImage = { type: { S: 'Order' }, lines: { BOGUS: 'x' } };

    const response = await processStreamRecords([broken, cartRecord(neighbour, '401', 5), cartRecord(session, '402', 2)], stub);

    // 402 is newer than 400: delivering it now would show the phone the cart's change before the order on the retry.
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '400' }, { itemIdentifier: '402' }]);
    expect(posted.map((p) => p.connectionId)).toEqual([neighbourPhone]);
  });
});
