import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { changeLineStatus } from '../../../shared/kitchen/kitchen';


export const handler = restHandler(restRoutes.changeLineStatus, async ({ principal, params, body }) => ({
    status: 200,
    body: await changeLineStatus(principal, params.orderId, params.lineId, body.status, new Date()),
  }),
);
