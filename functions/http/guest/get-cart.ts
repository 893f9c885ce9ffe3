import { getCart } from '../../../shared/cart/cart';
import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';

export const handler = restHandler(restRoutes.getCart, async ({ principal }) => ({ status: 200, body: await getCart(principal) }));
