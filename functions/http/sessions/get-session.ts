import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { getSessionDetail } from '../../../shared/sessions/sessions';

export const handler = restHandler(restRoutes.getSession, async ({ principal, params }) => ({
  status: 200,
  body: await getSessionDetail(principal, params.sessionId, new Date()),
}));
