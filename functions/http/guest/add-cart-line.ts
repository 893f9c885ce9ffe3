import { addLine } from '../../../shared/cart/cart';
import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';

export const handler = restHandler(restRoutes.addCartLine, async ({ principal, body }) => ({
  status: 201,
  body: await addLine(principal, body, new Date()),
}));
