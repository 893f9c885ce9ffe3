import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { deleteStaff } from '../../../shared/staff/staff';


export const handler = restHandler(restRoutes.deleteStaff, async ({ principal, params }) => {
  await deleteStaff(principal, params.staffId);
  return { status: 204 };
});
