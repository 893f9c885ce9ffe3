import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { createStaff } from '../../../shared/staff/staff';

export const handler = restHandler(restRoutes.createStaff, async ({ principal, body }) => ({ status: 201, body: await createStaff(principal, body, new Date()) }),
);
