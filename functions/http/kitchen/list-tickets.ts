import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { listTicketsFor } from '../../../shared/kitchen/kitchen';

export const handler = restHandler(restRoutes.listTickets, async ({ principal, query }) => ({ status: 200, body: await listTicketsFor(principal, query) }),
);
