import { AuditQuery, listAudit } from '../../../shared/audit/audit';
import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { RestaurantParams } from '../../../shared/http/schemas';

export const handler = restHandler(
  restRoutes.listAudit,
  { params: RestaurantParams, query: AuditQuery },
  async ({ principal, query }) => ({ status: 200, body: await listAudit(principal, query) }),
);
