import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { SessionParams } from '../../../shared/http/schemas';
import { MoveSessionBody, moveSession } from '../../../shared/sessions/sessions';

export const handler = restHandler(
  restRoutes.moveSession,
  { params: SessionParams, body: MoveSessionBody },
  async ({ principal, params, body }) => ({ status: 200, body: await moveSession(principal, params.sessionId, body.tableId, new Date()) }),
);
