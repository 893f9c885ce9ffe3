import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { requestService } from '../../../shared/sessions/service-requests';

export const handler = restHandler(restRoutes.requestService, async ({ principal, body }) => ({
  status: 201,
  body: await requestService(principal, body, new Date()),
}));
