import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { RestaurantParams } from '../../../shared/http/schemas';
import { CreateMenuItemBody, createMenuItem } from '../../../shared/menu/menu';

export const handler = restHandler(
  restRoutes.createMenuItem,
  { params: RestaurantParams, body: CreateMenuItemBody },
  async ({ principal, body }) => ({ status: 201, body: await createMenuItem(principal, body, new Date()) }),
);
