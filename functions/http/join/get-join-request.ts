import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { pollJoinRequest } from '../../../shared/sessions/join-requests';

export const handler = restHandler(restRoutes.getJoinRequest, async ({ params, headers }) => ({
  status: 200,
  body: await pollJoinRequest(params.joinRequestId, headers.Authorization, new Date()),
}));
