import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { decide } from '../../../shared/sessions/join-requests';

export const handler = restHandler(restRoutes.approveJoinRequest, async ({ principal, params }) => {
  await decide(principal, params.joinRequestId, 'APPROVED', new Date());
  return { status: 204 };
});
