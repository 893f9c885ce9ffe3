import * as z from 'zod';
import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { Id } from '../../../shared/core';
import { getOrderForGuest } from '../../../shared/orders/orders';

export const handler = restHandler(restRoutes.getOrder, { params: z.object({ orderId: Id }) }, async ({ principal, params }) => ({
  status: 200,
  body: await getOrderForGuest(principal, params.orderId),
}));
