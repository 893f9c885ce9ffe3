import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { updateMenuItem } from '../../../shared/menu/menu';

export const handler = restHandler(restRoutes.updateMenuItem, async ({ principal, params, body }) => ({ status: 200, body: await updateMenuItem(principal, params.itemId, body, new Date()) }),
);
