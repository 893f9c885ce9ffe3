import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { listStaff } from '../../../shared/staff/staff';

export const handler = restHandler(restRoutes.listStaff, async ({ principal }) => ({
  status: 200,
  body: { staff: await listStaff(principal) },
}));
