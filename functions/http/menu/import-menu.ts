import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { importMenuFile } from '../../../shared/menu/menu';

export const handler = restHandler(restRoutes.importMenu, async ({ principal, body }) => ({ status: 200, body: await importMenuFile(principal, body, new Date()) }));
