import type * as z from 'zod';
import type { Principal } from '../auth/principal';
import { hashToken } from '../auth/tokens';
import type { JoinRequestState } from '../contract/responses';
import { decideJoinRequest, getJoinRequest } from '../db/join-requests';
import type { JoinRequest } from '../db/join-requests';
import { ConflictError, NotFoundError } from '../errors';
import { logger } from '../observability/logger';
import { admitApproved } from './join';

/** Where a join request stands, for its requester (who proves it with the poll token); APPROVED comes with the join. */
export async function pollJoinRequest(joinRequestId: string, bearer: string, now: Date): Promise<z.infer<typeof JoinRequestState>> {
  const request = await getJoinRequest(joinRequestId);
  const pollToken = bearer.replace(/^Bearer /, '');
  // Someone else's request, or a wrong token: as if there were none.
  if (!request || hashToken(pollToken) !== request.pollTokenHash) throw new NotFoundError();
  if (request.status === 'APPROVED') return { status: 'APPROVED', join: await admitApproved(request, now) };
  if (request.status === 'DENIED') return { status: 'DENIED' };
  return { status: Date.parse(request.expiresAt) > now.getTime() ? 'PENDING' : 'EXPIRED' };
}

/** The request, if `principal` may decide it: a guest of its session, or floor staff of its restaurant. Invisible requests do not exist. */
async function requestFor(principal: Principal, joinRequestId: string): Promise<JoinRequest> {
  const request = await getJoinRequest(joinRequestId);
  const mayDecide =
    request?.visible &&
    (principal.kind === 'guest' ? principal.sessionId === request.sessionId : principal.restaurantId === request.restaurantId);
  if (!request || !mayDecide) throw new NotFoundError();
  return request;
}

/** Approves or denies a pending request; deciding it the same way again changes nothing. */
export async function decide(principal: Principal, joinRequestId: string, status: 'APPROVED' | 'DENIED', now: Date): Promise<void> {
  const request = await requestFor(principal, joinRequestId);
  if (request.status === status) return;
  if (!(await decideJoinRequest(joinRequestId, status, now))) {
    if ((await getJoinRequest(joinRequestId))?.status === status) return;
    throw new ConflictError('JOIN_REQUEST_CLOSED', 'This join request was already decided or has expired.');
  }
  logger.info('join request decided', { sessionId: request.sessionId, joinRequestId, status, by: principal.kind === 'guest' ? principal.guestId : principal.staffId });
}
