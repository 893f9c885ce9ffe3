import { updateLine } from '../../../shared/cart/cart';
import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';

export const handler = restHandler(restRoutes.updateCartLine, async ({ principal, params, body }) => ({ status: 200, body: await updateLine(principal, params.lineId, body) }),
);
