import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { TableParams } from '../../../shared/http/schemas';
import { rotateTableCode } from '../../../shared/tables/tables';

export const handler = restHandler(restRoutes.rotateTableCode, { params: TableParams }, async ({ principal, params }) => ({
  status: 200,
  body: await rotateTableCode(principal, params.tableId),
}));
