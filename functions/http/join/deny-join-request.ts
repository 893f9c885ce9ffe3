import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { decide } from '../../../shared/sessions/join-requests';

export const handler = restHandler(restRoutes.denyJoinRequest, async ({ principal, params }) => {
  await decide(principal, params.joinRequestId, 'DENIED', new Date());
  return { status: 204 };
});
