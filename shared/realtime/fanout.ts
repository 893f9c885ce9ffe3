import { connectionsOfToken, deleteConnection, forgetGoneConnection, hasExpired, listChannel } from '../db/connections';
import type { ChannelMember } from '../db/connections';
import { getGuest } from '../db/sessions';
import { logger } from '../observability/logger';
import type { RecordPlan } from './messages';

/** How the fan-out talks to connections: API Gateway's @connections API, or a stand-in in tests. */
export interface ConnectionPoster {
  /** Throws {@link isGone} errors for connections that no longer exist. */
  post(connectionId: string, payload: string): Promise<void>;
  close(connectionId: string): Promise<void>;
}

/** 410 Gone: the client went away without saying goodbye. */
export const isGone = (error: unknown): boolean =>
  (error as { name?: string }).name === 'GoneException' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410;

/** Posts in parallel, at most this many at once per record, so a big restaurant cannot flood the API. */
export const POST_CONCURRENCY = 16;

/** Runs `run` over `items`, at most `limit` at a time. */
export async function forEachBounded<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await run(items[next++] as T);
  });
  await Promise.all(workers);
}

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
 * Delivers a record's messages. Gone connections are forgotten (not one still connecting); any other failure is counted so
 * the record is retried (clients drop the duplicates by message id). One dead phone never stops
 * delivery to the others. Closing sockets is {@link closeConnections}' part, done after the batch's deliveries.
 */
export async function deliver(plan: RecordPlan, poster: ConnectionPoster, members = new ChannelMembers(), now = new Date()): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, gone: 0, failed: 0, expired: [] };
  for (const delivery of plan.deliveries) {
    await forEachBounded(await members.of(delivery.channel), POST_CONCURRENCY, async (member) => {
      // A socket outliving its token hears nothing more; it is closed afterwards.
      if (hasExpired(member, now)) return void result.expired.push(member.connectionId);
      const message = delivery.build(member);
      if (!message) return;
      try {
        await poster.post(member.connectionId, JSON.stringify(message));
        result.sent++;
      } catch (error) {
        if (isGone(error)) {
          // A socket still in its handshake is kept (and heard by the batch's later records): it syncs once open.
          if (await forgetGoneConnection(member.connectionId, delivery.channel, now)) {
            result.gone++;
            members.forget(member.connectionId);
          }
        } else {
          result.failed++;
          logger.warn('post to connection failed', { connectionId: member.connectionId, error: error as Error });
        }
      }
    });
  }
  return result;
}

/** Whether a record closes sockets once delivered. */
export const closesConnections = (plan: RecordPlan, result: DeliveryResult): boolean =>
  Boolean(plan.closeChannel || plan.closeTokenConnections || result.expired.length > 0);

/**
 * Closes what a delivered record ends: a closed session's channel, a revoked token's sockets (a
 * removed guest's hearing why first), sockets that outlived their token.
 */
export async function closeConnections(plan: RecordPlan, expired: string[], poster: ConnectionPoster): Promise<void> {
  const ofToken = plan.closeTokenConnections ? await connectionsOfToken(plan.closeTokenConnections) : [];
  if (plan.ifGuestRemoved && ofToken.length > 0) await tellIfRemoved(plan.ifGuestRemoved, ofToken, poster);
  const toClose = [...expired, ...(plan.closeChannel ? (await listChannel(plan.closeChannel)).map((member) => member.connectionId) : []), ...ofToken];
  await forEachBounded(toClose, POST_CONCURRENCY, async (connectionId) => {
    await poster.close(connectionId).catch((error: unknown) => {
      if (!isGone(error)) throw error;
    });
    await deleteConnection(connectionId);
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
