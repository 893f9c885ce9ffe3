import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { PlaceOrderBody, createOrderPlacer } from '../../../shared/orders/place-order';

const placeOrder = createOrderPlacer();

export const handler = restHandler(restRoutes.placeOrder, { body: PlaceOrderBody }, async (request) => {
  const { principal, body, context } = request;
  const idempotencyKey = request.headers['idempotency-key'];
  const { order, replayed } = await placeOrder(principal, { idempotencyKey, cartVersion: body.cartVersion }, context);
  const headers: Record<string, string> = replayed ? { 'Idempotent-Replayed': 'true' } : {};
  return { status: 201, body: order, headers };
});
