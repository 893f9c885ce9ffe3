import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { getOrderForGuest } from '../../../shared/orders/orders';

export const handler = restHandler(restRoutes.getOrder, async ({ principal, params }) => ({
  status: 200,
  body: await getOrderForGuest(principal, params.orderId),
}));
