import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { listServiceRequests } from '../../../shared/sessions/service-requests';

export const handler = restHandler(restRoutes.listServiceRequests, async ({ principal }) => ({
  status: 200,
  body: await listServiceRequests(principal.restaurantId),
}));
