import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { createOrderPlacer } from '../../../shared/orders/place-order';

const placeOrder = createOrderPlacer();

export const handler = restHandler(restRoutes.placeOrder, async ({ principal, headers, body, context }) => {
  const { order, replayed } = await placeOrder(principal, { idempotencyKey: headers['Idempotency-Key'], cartVersion: body.cartVersion }, context);
  return { status: 201, body: order, headers: replayed ? { 'Idempotent-Replayed': 'true' } : undefined };
});
