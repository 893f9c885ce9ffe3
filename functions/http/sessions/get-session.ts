import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { SessionParams } from '../../../shared/http/schemas';
import { getSessionDetail } from '../../../shared/sessions/sessions';

export const handler = restHandler(restRoutes.getSession, { params: SessionParams }, async ({ principal, params }) => ({
  status: 200,
  body: await getSessionDetail(principal, params.sessionId, new Date()),
}));
