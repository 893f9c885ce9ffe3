import { ENTITY } from '../db/entities';

/**
 * The fan-out's event source mapping, as deployed (lib/realtime-stack.ts) and as the local runtime's
 * poller emulates it: batches of up to 100 records that passed the filters, two batches per shard
 * at once (records of one partition key always in the same lane, in order), a failed batch bisected
 * and retried up to 3 times and for at most 5 minutes, then sent to the dead-letter queue.
 */
export const STREAM_MAPPING = { batchSize: 100, parallelizationFactor: 2, retryAttempts: 3, maxRecordAgeSeconds: 300 } as const;

/**
 * Which stream records the fan-out consumes: item changes that can produce a message, and token
 * removals (revocation closes sockets). The deployed event source mapping's filter criteria and the
 * local stream poller both use these patterns, so Lambda is not even invoked for anything else.
 */
export const streamFilterPatterns = [
  {
    eventName: ['INSERT', 'MODIFY'],
    dynamodb: { NewImage: { type: { S: [ENTITY.cart, ENTITY.order, ENTITY.tableSession, ENTITY.menuItem, ENTITY.guest, ENTITY.joinRequest, ENTITY.pinGuard, ENTITY.serviceRequest] } } },
  },
  {
    eventName: ['REMOVE'],
    dynamodb: { OldImage: { type: { S: [ENTITY.token] } } },
  },
] as const;

type Pattern = { readonly [key: string]: Pattern | readonly string[] };

/** The part of EventBridge pattern matching these patterns use: nested objects and lists of allowed strings. */
export function matchesPattern(value: unknown, pattern: Pattern): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = (value as Record<string, unknown> | undefined)?.[key];
    return Array.isArray(expected) ? expected.includes(actual as string) : matchesPattern(actual, expected as Pattern);
  });
}

export const passesStreamFilters = (record: unknown): boolean =>
  streamFilterPatterns.some((pattern) => matchesPattern(record, pattern as unknown as Pattern));
