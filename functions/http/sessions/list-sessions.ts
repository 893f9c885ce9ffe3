import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { RestaurantParams } from '../../../shared/http/schemas';
import { ListSessionsQuery, listOpenSessions } from '../../../shared/sessions/sessions';

export const handler = restHandler(
  restRoutes.listSessions,
  { params: RestaurantParams, query: ListSessionsQuery },
  async ({ principal }) => ({ status: 200, body: { sessions: await listOpenSessions(principal, new Date()) } }),
);
