import { ulid } from 'ulid';
import type * as z from 'zod';
import type { GuestPrincipal, StaffPrincipal } from '../auth/principal';
import { acknowledgeServiceRequestItems, getServiceRequest, openServiceRequestItems, queryOpenServiceRequests } from '../db/service-requests';
import type { ServiceRequest } from '../db/service-requests';
import { getSession, sessionLiveCondition } from '../db/sessions';
import { getTable } from '../db/tables';
import { TransactionCancelledError, transactWrite } from '../db/transact';
import { ConflictError, NotFoundError, SessionClosedError } from '../errors';
import { logger } from '../observability/logger';
import { sessionBillTotal } from '../orders/orders';
import { isSessionLive } from '../core';
import type { ServiceRequestBody } from '../contract/requests';
import type { CreatedServiceRequest, ServiceRequest as ServiceRequestSchema } from '../contract/responses';

export type ServiceRequestView = z.infer<typeof ServiceRequestSchema>;

/** The floor's view of a request (the fan-out sends the same). */
export const toServiceRequestView = ({ requestId, requestType, status, note, sessionId, tableName, at, billTotalCents }: ServiceRequest): ServiceRequestView => ({
  requestId,
  type: requestType,
  status,
  note,
  sessionId,
  tableName,
  at,
  billTotalCents,
});

/**
 * `POST /v1/session/requests`: a guest calls the waiter or asks for the bill. One TransactWriteItems
 * puts the request and the session's marker for its type, so a second open request of that type is
 * 409 however many phones ask at once. A bill request carries the bill's total for the waiter.
 */
export async function requestService(guest: GuestPrincipal, input: z.infer<typeof ServiceRequestBody>, now: Date): Promise<z.infer<typeof CreatedServiceRequest>> {
  const session = await getSession(guest.sessionId);
  if (!session || !isSessionLive(session, now)) throw new SessionClosedError();
  const [table, billTotalCents] = await Promise.all([
    getTable(guest.restaurantId, session.tableId),
    input.type === 'REQUEST_BILL' ? sessionBillTotal(guest.sessionId) : null,
  ]);
  const request: ServiceRequest = {
    requestId: ulid(now.getTime()),
    restaurantId: guest.restaurantId,
    sessionId: guest.sessionId,
    tableName: table?.name ?? '',
    requestType: input.type,
    status: 'OPEN',
    note: input.note || null,
    at: now.toISOString(),
    billTotalCents,
    acknowledgedAt: null,
    acknowledgedBy: null,
  };
  try {
    await transactWrite([...openServiceRequestItems(request, session.expiresAt), sessionLiveCondition(guest.sessionId, now)]);
  } catch (error) {
    if (!(error instanceof TransactionCancelledError)) throw error;
    if (error.failed('openServiceRequest')) throw new ConflictError('REQUEST_ALREADY_OPEN', 'The table already asked for this; staff will be there soon.');
    if (error.failed('sessionLive')) throw new SessionClosedError();
    throw error;
  }
  logger.info('service requested', { restaurantId: guest.restaurantId, sessionId: guest.sessionId, requestId: request.requestId, type: input.type });
  return { requestId: request.requestId, type: input.type, status: 'OPEN', at: request.at };
}

/** The floor's list of open requests, oldest first (REST and a floor screen's sync). */
export async function listServiceRequests(restaurantId: string): Promise<{ requests: ServiceRequestView[] }> {
  return { requests: (await queryOpenServiceRequests(restaurantId)).map(toServiceRequestView) };
}

/** Acknowledges a request once: the table hears it, and the type can be asked for again. Acknowledging twice answers the same. */
export async function acknowledgeServiceRequest(actor: StaffPrincipal, requestId: string, now: Date): Promise<ServiceRequestView> {
  const request = await getServiceRequest(actor.restaurantId, requestId);
  if (!request) throw new NotFoundError();
  if (request.status === 'ACKNOWLEDGED') return toServiceRequestView(request);
  try {
    await transactWrite(acknowledgeServiceRequestItems(request, actor.staffId, now));
  } catch (error) {
    if (!(error instanceof TransactionCancelledError) || !error.failed('serviceRequest')) throw error;
    // Someone else acknowledged it meanwhile: that is the outcome asked for.
    return toServiceRequestView((await getServiceRequest(actor.restaurantId, requestId)) as ServiceRequest);
  }
  logger.info('service request acknowledged', { restaurantId: actor.restaurantId, requestId, by: actor.staffId });
  return toServiceRequestView({ ...request, status: 'ACKNOWLEDGED', acknowledgedAt: now.toISOString(), acknowledgedBy: actor.staffId });
}
