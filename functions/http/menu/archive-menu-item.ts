import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { archiveMenuItem } from '../../../shared/menu/menu';

export const handler = restHandler(restRoutes.archiveMenuItem, async ({ principal, params }) => {
  await archiveMenuItem(principal, params.itemId, new Date());
  return { status: 204 };
});
