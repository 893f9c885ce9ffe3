import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { listMenuItems } from '../../../shared/menu/menu';

export const handler = restHandler(restRoutes.listMenuItems, async ({ principal }) => ({ status: 200, body: await listMenuItems(principal) }));
