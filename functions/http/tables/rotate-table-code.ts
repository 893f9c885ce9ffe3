import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { rotateTableCode } from '../../../shared/tables/tables';

export const handler = restHandler(restRoutes.rotateTableCode, async ({ principal, params }) => ({
  status: 200,
  body: await rotateTableCode(principal, params.tableId),
}));
