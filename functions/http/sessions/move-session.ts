import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { moveSession } from '../../../shared/sessions/sessions';

export const handler = restHandler(restRoutes.moveSession, async ({ principal, params, body }) => ({ status: 200, body: await moveSession(principal, params.sessionId, body.tableId, new Date()) }),
);
