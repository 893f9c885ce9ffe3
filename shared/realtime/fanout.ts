import { connectionsOfToken, deleteConnection, forgetGoneConnection, hasExpired, listChannel } from '../db/connections';
import type { ChannelMember } from '../db/connections';
import { getGuest } from '../db/sessions';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';
import type { RecordPlan } from './messages';
import { INVOCATION_CONCURRENCY, POSTS_PER_INVOCATION, POST_CONCURRENCY, forEachBounded, isGone, postBatch } from './posting';
import type { ConnectionPoster, PostBatch, PostOutcome } from './posting';

/**
 * A stream batch's view of its channels' members: each channel is read once per batch, however many
 * of the batch's records go to it (a burst of kitchen changes is one read of the kitchen channel),
 * and a connection found gone is skipped by the batch's later records. A socket that connects during
 * the batch hears from the next one; it asks for a `sync` when it connects anyway.
 */
export class ChannelMembers {
  private readonly reads = new Map<string, Promise<ChannelMember[]>>();
  private readonly gone = new Set<string>();

  async of(channel: string): Promise<ChannelMember[]> {
    let read = this.reads.get(channel);
    if (!read) {
      read = listChannel(channel);
      this.reads.set(channel, read);
      // A failed read is not kept: the record is retried and reads again.
      read.catch(() => this.reads.delete(channel));
    }
    return (await read).filter((member) => !this.gone.has(member.connectionId));
  }

  forget(connectionId: string): void {
    this.gone.add(connectionId);
  }

  /** Channels read so far. */
  get channelsRead(): number {
    return this.reads.size;
  }
}

export interface DeliveryResult {
  sent: number;
  gone: number;
  failed: number;
  /** Connections that outlived their token: they heard nothing and are to be closed. */
  expired: string[];
}

/**
 * Delivers a record's messages. Gone connections are forgotten (not one still in its handshake); any
 * other failure is counted so the record is retried (clients drop the duplicates by message id). One
 * dead phone never stops delivery to the others. A channel with more than {@link POSTS_PER_INVOCATION}
 * posts is spread over delivery invocations when the poster can. Closing sockets is
 * {@link closeConnections}' part, done after the batch's deliveries.
 */
export async function deliver(plan: RecordPlan, poster: ConnectionPoster, members = new ChannelMembers(), now = new Date()): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, gone: 0, failed: 0, expired: [] };
  for (const delivery of plan.deliveries) {
    const batch: PostBatch = { payloads: [], posts: [] };
    const indexOf = new Map<string, number>();
    for (const member of await members.of(delivery.channel)) {
      // A socket outliving its token hears nothing more; it is closed afterwards.
      if (hasExpired(member, now)) {
        result.expired.push(member.connectionId);
        continue;
      }
      const message = delivery.build(member);
      if (!message) continue;
      const payload = JSON.stringify(message);
      let index = indexOf.get(payload);
      if (index === undefined) indexOf.set(payload, (index = batch.payloads.push(payload) - 1));
      batch.posts.push([member.connectionId, index]);
    }
    const outcome = poster.spread && batch.posts.length > POSTS_PER_INVOCATION ? await spread(batch, poster.spread) : await postBatch(batch, poster);
    result.sent += outcome.sent;
    result.failed += outcome.failed;
    // A socket still in its handshake is kept (and heard by the batch's later records): it syncs once open.
    await forEachBounded(outcome.gone, POST_CONCURRENCY, async (connectionId) => {
      if (!(await forgetGoneConnection(connectionId, delivery.channel, now))) return;
      result.gone++;
      members.forget(connectionId);
    });
  }
  return result;
}

/** A batch in shares of {@link POSTS_PER_INVOCATION}, each with only its own messages; a share whose invocation fails counts as failed posts. */
async function spread(batch: PostBatch, invoke: NonNullable<ConnectionPoster['spread']>): Promise<PostOutcome> {
  const shares: PostBatch[] = [];
  for (let start = 0; start < batch.posts.length; start += POSTS_PER_INVOCATION) {
    const share: PostBatch = { payloads: [], posts: [] };
    const reindexed = new Map<number, number>();
    for (const [connectionId, index] of batch.posts.slice(start, start + POSTS_PER_INVOCATION)) {
      let own = reindexed.get(index);
      if (own === undefined) reindexed.set(index, (own = share.payloads.push(batch.payloads[index] as string) - 1));
      share.posts.push([connectionId, own]);
    }
    shares.push(share);
  }
  const total: PostOutcome = { sent: 0, gone: [], failed: 0 };
  await forEachBounded(shares, INVOCATION_CONCURRENCY, async (share) => {
    const outcome = await invoke(share).catch((error: unknown) => {
      logger.warn('delivery invocation failed', { posts: share.posts.length, error: error as Error });
      return { sent: 0, gone: [], failed: share.posts.length };
    });
    total.sent += outcome.sent;
    total.failed += outcome.failed;
    total.gone.push(...outcome.gone);
  });
  count('FanoutSpreadInvocations', shares.length);
  return total;
}

/** Whether a record closes sockets once delivered. */
export const closesConnections = (plan: RecordPlan, result: DeliveryResult): boolean =>
  Boolean(plan.closeChannel || plan.closeTokenConnections || result.expired.length > 0);

/**
 * Closes what a delivered record ends: a closed session's channel, a revoked token's sockets (a
 * removed guest's hearing why first), sockets that outlived their token. A socket closed here is
 * forgotten by its `$disconnect`, as every closed socket is, not here as well: forgetting it twice
 * would pay for every delete twice. Only one API Gateway no longer knows (410) is forgotten here,
 * since no `$disconnect` will come for it. Should a `$disconnect` ever not come (API Gateway delivers
 * it on a best-effort basis), the items expire with their TTL, and a post to them meanwhile finds
 * them gone and forgets them.
 */
export async function closeConnections(plan: RecordPlan, expired: string[], poster: ConnectionPoster): Promise<void> {
  const ofToken = plan.closeTokenConnections ? await connectionsOfToken(plan.closeTokenConnections) : [];
  if (plan.ifGuestRemoved && ofToken.length > 0) await tellIfRemoved(plan.ifGuestRemoved, ofToken, poster);
  const toClose = [...expired, ...(plan.closeChannel ? (await listChannel(plan.closeChannel)).map((member) => member.connectionId) : []), ...ofToken];
  await forEachBounded(toClose, POST_CONCURRENCY, async (connectionId) => {
    await poster.close(connectionId).catch(async (error: unknown) => {
      if (!isGone(error)) throw error;
      await deleteConnection(connectionId);
    });
  });
}

async function tellIfRemoved({ sessionId, guestId, message }: NonNullable<RecordPlan['ifGuestRemoved']>, connectionIds: string[], poster: ConnectionPoster): Promise<void> {
  if (!(await getGuest(sessionId, guestId))?.removedAt) return;
  await forEachBounded(connectionIds, POST_CONCURRENCY, async (connectionId) => {
    await poster.post(connectionId, JSON.stringify(message)).catch((error: unknown) => {
      if (!isGone(error)) throw error;
    });
  });
}
