import * as z from 'zod';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { db, tableName } from './client';
import { keys } from './keys';
import { ENTITY } from './entities';
import { epochSeconds } from './time';
import { named } from './transact';
import type { TransactItem } from './transact';

/**
 * A join attempt on a guarded session. Every attempt not blocked for its source makes one, right PIN
 * or wrong, so the answers are alike; only those with the right PIN (`visible`) reach the table and
 * the floor, and only those can be approved.
 */
const JoinRequestItem = z.object({
  joinRequestId: z.string(),
  sessionId: z.string(),
  restaurantId: z.string(),
  tableName: z.string(),
  guestName: z.string().nullable().default(null),
  visible: z.boolean(),
  status: z.enum(['PENDING', 'APPROVED', 'DENIED']),
  pollTokenHash: z.string(),
  requestedAt: z.string(),
  expiresAt: z.string(),
  /** The guest an approved request became, set by the first poll after approval. */
  guestId: z.string().optional(),
});
export type JoinRequest = z.infer<typeof JoinRequestItem>;

/** Requests are kept a day after they expire, then go by TTL. */
const KEPT_SECONDS = 24 * 3600;

export async function putJoinRequest(request: JoinRequest): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.joinRequest(request.joinRequestId), type: ENTITY.joinRequest, ...request, ttl: epochSeconds(new Date(request.expiresAt)) + KEPT_SECONDS },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getJoinRequest(joinRequestId: string): Promise<JoinRequest | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.joinRequest(joinRequestId), ConsistentRead: true }));
  return Item && JoinRequestItem.parse(Item);
}

/** Approves or denies a pending, unexpired request: false when it was decided or had expired meanwhile. */
export async function decideJoinRequest(joinRequestId: string, status: 'APPROVED' | 'DENIED', now: Date): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.joinRequest(joinRequestId),
        UpdateExpression: 'SET #status = :status, decidedAt = :now',
        ConditionExpression: '#status = :pending AND expiresAt > :now AND visible = :true',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':pending': 'PENDING', ':now': now.toISOString(), ':true': true },
      }),
    );
    return true;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return false;
  }
}

/** Records the guest an approved request becomes, in the transaction that admits them: `joinRequest` fails when another poll did first. */
export function settleJoinRequestItem(joinRequestId: string, guestId: string): TransactItem {
  return named('joinRequest', {
    Update: {
      TableName: tableName(),
      Key: keys.joinRequest(joinRequestId),
      UpdateExpression: 'SET guestId = :guestId',
      ConditionExpression: 'attribute_not_exists(guestId) AND #status = :approved',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':guestId': guestId, ':approved': 'APPROVED' },
    },
  });
}
