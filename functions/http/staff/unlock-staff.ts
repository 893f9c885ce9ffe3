import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { unlockStaff } from '../../../shared/staff/staff';

export const handler = restHandler(restRoutes.unlockStaff, async ({ principal, params }) => {
  await unlockStaff(principal, params.staffId);
  return { status: 204 };
});
