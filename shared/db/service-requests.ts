import * as z from 'zod';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keys, openRequestsIndex } from './keys';
import { queryIndexPartition } from './query';
import { epochSeconds } from './time';
import { named } from './transact';
import type { TransactItem } from './transact';
import { ENTITY } from './entities';
import { SERVICE_REQUEST_TYPES } from '../contract/fields';

const ServiceRequestItem = z.object({
  requestId: z.string(),
  restaurantId: z.string(),
  sessionId: z.string(),
  tableName: z.string(),
  /** CALL_WAITER or REQUEST_BILL (`type` is every item's entity name). */
  requestType: z.enum(SERVICE_REQUEST_TYPES),
  status: z.enum(['OPEN', 'ACKNOWLEDGED']),
  note: z.string().nullable().default(null),
  at: z.string(),
  /** The session's bill when the guest asked for it (REQUEST_BILL only). */
  billTotalCents: z.number().int().nullable().default(null),
  acknowledgedAt: z.string().nullable().default(null),
  acknowledgedBy: z.string().nullable().default(null),
});
export type ServiceRequest = z.infer<typeof ServiceRequestItem>;
export const toServiceRequest = (item: Record<string, unknown>): ServiceRequest => ServiceRequestItem.parse(item);

/** Requests are kept a month for the record, then go by TTL. */
const KEPT_SECONDS = 30 * 24 * 3600;

/**
 * A new open request (`serviceRequest`, listed on the floor through gsi1) and the session's marker
 * for its type (`openServiceRequest`, failing when one is open already), until the session ends.
 */
export function openServiceRequestItems(request: ServiceRequest, sessionExpiresAt: string): TransactItem[] {
  return [
    named('serviceRequest', {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.serviceRequest(request.restaurantId, request.requestId),
          gsi1pk: openRequestsIndex.pk(request.restaurantId),
          gsi1sk: openRequestsIndex.sk(request.at, request.requestId),
          type: ENTITY.serviceRequest,
          ...request,
          ttl: epochSeconds(new Date(request.at)) + KEPT_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }),
    named('openServiceRequest', {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.openServiceRequest(request.sessionId, request.requestType),
          type: ENTITY.openServiceRequest,
          requestId: request.requestId,
          ttl: epochSeconds(new Date(sessionExpiresAt)),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }),
  ];
}

/** Acknowledges an open request (it leaves the floor's list) and frees its type in the session. */
export function acknowledgeServiceRequestItems(request: ServiceRequest, staffId: string, now: Date): TransactItem[] {
  return [
    named('serviceRequest', {
      Update: {
        TableName: tableName(),
        Key: keys.serviceRequest(request.restaurantId, request.requestId),
        UpdateExpression: 'SET #status = :acknowledged, acknowledgedAt = :now, acknowledgedBy = :by REMOVE gsi1pk, gsi1sk',
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':acknowledged': 'ACKNOWLEDGED', ':open': 'OPEN', ':now': now.toISOString(), ':by': staffId },
      },
    }),
    named('openServiceRequest', {
      Delete: {
        TableName: tableName(),
        Key: keys.openServiceRequest(request.sessionId, request.requestType),
        ConditionExpression: 'requestId = :id',
        ExpressionAttributeValues: { ':id': request.requestId },
      },
    }),
  ];
}

export async function getServiceRequest(restaurantId: string, requestId: string): Promise<ServiceRequest | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.serviceRequest(restaurantId, requestId), ConsistentRead: true }));
  return Item && toServiceRequest(Item);
}

/** A restaurant's open requests, oldest first: one Query on gsi1 (acknowledged ones have left it). */
export async function queryOpenServiceRequests(restaurantId: string): Promise<ServiceRequest[]> {
  const items = await queryIndexPartition(openRequestsIndex.pk(restaurantId));
  return items.map(toServiceRequest);
}
