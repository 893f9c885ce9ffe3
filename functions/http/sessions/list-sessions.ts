import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { listOpenSessions } from '../../../shared/sessions/sessions';

export const handler = restHandler(restRoutes.listSessions, async ({ principal }) => ({ status: 200, body: { sessions: await listOpenSessions(principal, new Date()) } }),
);
