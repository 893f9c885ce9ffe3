import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { RestaurantParams } from '../../../shared/http/schemas';
import { TicketsQuery, listTicketsFor } from '../../../shared/kitchen/kitchen';

export const handler = restHandler(
  restRoutes.listTickets,
  { params: RestaurantParams, query: TicketsQuery },
  async ({ principal, query }) => ({ status: 200, body: await listTicketsFor(principal, query) }),
);
