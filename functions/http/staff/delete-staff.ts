import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { Id } from '../../../shared/core';
import { RestaurantParams } from '../../../shared/http/schemas';
import { deleteStaff } from '../../../shared/staff/staff';

const Params = RestaurantParams.extend({ staffId: Id });

export const handler = restHandler(restRoutes.deleteStaff, { params: Params }, async ({ principal, params }) => {
  await deleteStaff(principal, params.staffId);
  return { status: 204 };
});
