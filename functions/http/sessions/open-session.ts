import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { openSession } from '../../../shared/sessions/sessions';

export const handler = restHandler(restRoutes.openSession, async ({ principal, params, body }) => ({ status: 201, body: await openSession(principal, params.tableId, body, new Date()) }),
);
