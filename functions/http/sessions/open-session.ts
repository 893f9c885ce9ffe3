import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { TableParams } from '../../../shared/http/schemas';
import { OpenSessionBody, openSession } from '../../../shared/sessions/sessions';

export const handler = restHandler(
  restRoutes.openSession,
  { params: TableParams, body: OpenSessionBody },
  async ({ principal, params, body }) => ({ status: 201, body: await openSession(principal, params.tableId, body, new Date()) }),
);
