import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { RestaurantParams } from '../../../shared/http/schemas';
import { getPublicMenu } from '../../../shared/menu/menu';

export const handler = restHandler(restRoutes.getMenu, { params: RestaurantParams }, async ({ params }) => ({
  status: 200,
  body: await getPublicMenu(params.restaurantId),
}));
