import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { getPublicMenu } from '../../../shared/menu/menu';

export const handler = restHandler(restRoutes.getMenu, async ({ params, query }) => ({
  status: 200,
  body: await getPublicMenu(params.restaurantId, query.lang),
}));
