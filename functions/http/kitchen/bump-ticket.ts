import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { bumpTicket } from '../../../shared/kitchen/kitchen';

export const handler = restHandler(restRoutes.bumpTicket, async ({ principal, params, body }) => ({
  status: 200,
  body: await bumpTicket(principal, params.orderId, body, new Date()),
}));
