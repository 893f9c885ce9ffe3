import { removeLine } from '../../../shared/cart/cart';
import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';

export const handler = restHandler(restRoutes.removeCartLine, async ({ principal, params }) => ({
  status: 200,
  body: await removeLine(principal, params.lineId),
}));
