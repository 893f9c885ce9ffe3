import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { tableQrSvg } from '../../../shared/tables/qr-code';

export const handler = restHandler(restRoutes.getTableQr, async ({ principal, params }) => ({
  status: 200,
  contentType: 'image/svg+xml',
  body: await tableQrSvg(principal, params.tableId),
}));
