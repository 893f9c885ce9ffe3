import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { getRestaurant } from '../../../shared/restaurants/restaurants';

export const handler = restHandler(restRoutes.getRestaurant, async ({ principal }) => ({
  status: 200,
  body: await getRestaurant(principal),
}));
