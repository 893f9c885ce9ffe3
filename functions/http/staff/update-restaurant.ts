import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { updateRestaurant } from '../../../shared/restaurants/restaurants';

export const handler = restHandler(restRoutes.updateRestaurant, async ({ principal, body }) => ({
  status: 200,
  body: await updateRestaurant(principal, body),
}));
