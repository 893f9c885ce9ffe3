import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { acknowledgeServiceRequest } from '../../../shared/sessions/service-requests';

export const handler = restHandler(restRoutes.acknowledgeServiceRequest, async ({ principal, params }) => ({
  status: 200,
  body: await acknowledgeServiceRequest(principal, params.requestId, new Date()),
}));
