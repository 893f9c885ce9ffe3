/**
 * Posting to connections: what the delivery function shares with the fan-out. It touches no table,
 * so the delivery function's bundle carries no DynamoDB client.
 */
import * as z from 'zod';
import { logger } from '../observability/logger';

/** Posts in parallel, at most this many at once per invocation, so a big restaurant cannot flood the API. */
export const POST_CONCURRENCY = 16;
/**
 * A record with more posts than this for one channel spreads them over delivery invocations of at
 * most this many posts each, run side by side: a record then takes about one share's time (10 rounds
 * of 16 posts), however many sockets a restaurant has, where posting them all here would take
 * longer the more there are, up to the fan-out's timeout. 150 messages of at most 32 KB stay under
 * Lambda's 6 MB invocation payload whatever they are.
 */
export const POSTS_PER_INVOCATION = 150;
/** Delivery invocations one record runs at once (3,750 posts per round). */
export const INVOCATION_CONCURRENCY = 25;

/** How the fan-out talks to connections: API Gateway's @connections API, or a stand-in in tests. */
export interface ConnectionPoster {
  /** Throws {@link isGone} errors for connections that no longer exist. */
  post(connectionId: string, payload: string): Promise<void>;
  close(connectionId: string): Promise<void>;
  /**
   * Posts one share of a big channel's messages in an invocation of its own (deployed: the delivery
   * function, invoked and awaited). Without it every post is made here.
   */
  spread?(batch: PostBatch): Promise<PostOutcome>;
}

/** Posts to make: the distinct messages once each, and which connection gets which (the index of its message). */
export const PostBatch = z.strictObject({
  payloads: z.array(z.string()).max(POSTS_PER_INVOCATION),
  posts: z.array(z.tuple([z.string().min(1), z.number().int().nonnegative()])).max(POSTS_PER_INVOCATION),
});
export type PostBatch = z.infer<typeof PostBatch>;

export const PostOutcome = z.strictObject({
  sent: z.number().int().nonnegative(),
  /** Connections found gone (410). */
  gone: z.array(z.string()),
  failed: z.number().int().nonnegative(),
});
export type PostOutcome = z.infer<typeof PostOutcome>;

/** 410 Gone: the client went away without saying goodbye. */
export const isGone = (error: unknown): boolean =>
  (error as { name?: string }).name === 'GoneException' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410;

/** Runs `run` over `items`, at most `limit` at a time. */
export async function forEachBounded<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await run(items[next++] as T);
  });
  await Promise.all(workers);
}

/** Makes a batch's posts, {@link POST_CONCURRENCY} at a time: the fan-out for a small channel, a delivery invocation for its share of a big one. */
export async function postBatch(batch: PostBatch, poster: ConnectionPoster): Promise<PostOutcome> {
  const outcome: PostOutcome = { sent: 0, gone: [], failed: 0 };
  await forEachBounded(batch.posts, POST_CONCURRENCY, async ([connectionId, index]) => {
    try {
      await poster.post(connectionId, batch.payloads[index] as string);
      outcome.sent++;
    } catch (error) {
      if (isGone(error)) return void outcome.gone.push(connectionId);
      outcome.failed++;
      logger.warn('post to connection failed', { connectionId, error: error as Error });
    }
  });
  return outcome;
}
