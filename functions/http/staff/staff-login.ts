import { loginStaff } from '../../../shared/staff/login';
import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';

export const handler = restHandler(restRoutes.staffLogin, async ({ body, sourceIp }) => ({
  status: 200,
  body: await loginStaff(body, sourceIp, new Date()),
}));
