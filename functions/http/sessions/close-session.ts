import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { closeSession } from '../../../shared/sessions/sessions';

export const handler = restHandler(restRoutes.closeSession, async ({ principal, params }) => ({
  status: 200,
  body: await closeSession(principal, params.sessionId, new Date()),
}));
