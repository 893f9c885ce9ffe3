import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { SessionParams } from '../../../shared/http/schemas';
import { closeSession } from '../../../shared/sessions/sessions';

export const handler = restHandler(restRoutes.closeSession, { params: SessionParams }, async ({ principal, params }) => ({
  status: 200,
  body: await closeSession(principal, params.sessionId, new Date()),
}));
