import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { RestaurantParams } from '../../../shared/http/schemas';
import { CreateTableBody, createTable } from '../../../shared/tables/tables';

export const handler = restHandler(
  restRoutes.createTable,
  { params: RestaurantParams, body: CreateTableBody },
  async ({ principal, body }) => ({ status: 201, body: await createTable(principal, body, new Date()) }),
);
