import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { listTables } from '../../../shared/tables/tables';

export const handler = restHandler(restRoutes.listTables, async ({ principal }) => ({
  status: 200,
  body: { tables: await listTables(principal) },
}));
