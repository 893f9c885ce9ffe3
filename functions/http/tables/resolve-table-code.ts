import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { describeTableCode } from '../../../shared/tables/tables';

export const handler = restHandler(restRoutes.resolveTableCode, async ({ params }) => ({
  status: 200,
  body: await describeTableCode(params.tableCode),
}));
