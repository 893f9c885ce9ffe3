import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { createMenuItem } from '../../../shared/menu/menu';

export const handler = restHandler(restRoutes.createMenuItem, async ({ principal, body }) => ({ status: 201, body: await createMenuItem(principal, body, new Date()) }),
);
