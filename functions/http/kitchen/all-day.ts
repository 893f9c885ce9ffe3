import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { allDayCounts } from '../../../shared/kitchen/kitchen';

export const handler = restHandler(restRoutes.allDay, async ({ principal, query }) => ({
  status: 200,
  body: await allDayCounts(principal, query),
}));
