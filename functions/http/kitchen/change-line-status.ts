import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { Id } from '../../../shared/core';
import { RestaurantParams } from '../../../shared/http/schemas';
import { LineStatusBody, changeLineStatus } from '../../../shared/kitchen/kitchen';

const Params = RestaurantParams.extend({ orderId: Id, lineId: Id });

export const handler = restHandler(
  restRoutes.changeLineStatus,
  { params: Params, body: LineStatusBody },
  async ({ principal, params, body }) => ({
    status: 200,
    body: await changeLineStatus(principal, params.orderId, params.lineId, body.status, new Date()),
  }),
);
