import * as z from 'zod';
import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { TableCode, describeTableCode } from '../../../shared/tables/tables';

export const handler = restHandler(
  restRoutes.resolveTableCode,
  { params: z.object({ tableCode: TableCode }) },
  async ({ params }) => ({ status: 200, body: await describeTableCode(params.tableCode) }),
);
