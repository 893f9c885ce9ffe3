import { listAudit } from '../../../shared/audit/audit';
import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';

export const handler = restHandler(restRoutes.listAudit, async ({ principal, query }) => ({ status: 200, body: await listAudit(principal, query) }),
);
