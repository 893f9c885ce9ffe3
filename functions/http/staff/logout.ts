import { logout } from '../../../shared/staff/login';
import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';

export const handler = restHandler(restRoutes.logout, async ({ principal }) => {
  await logout(principal);
  return { status: 204 };
});
