import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { RestaurantParams } from '../../../shared/http/schemas';
import { CreateStaffBody, createStaff } from '../../../shared/staff/staff';

export const handler = restHandler(
  restRoutes.createStaff,
  { params: RestaurantParams, body: CreateStaffBody },
  async ({ principal, body }) => ({ status: 201, body: await createStaff(principal, body, new Date()) }),
);
