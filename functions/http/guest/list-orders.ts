import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { listOrders } from '../../../shared/orders/orders';

export const handler = restHandler(restRoutes.listOrders, async ({ principal }) => ({
  status: 200,
  body: { orders: await listOrders(principal) },
}));
