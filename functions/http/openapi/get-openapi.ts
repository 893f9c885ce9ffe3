import { openApiDocument } from '../../../shared/http/openapi';
import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';

export const handler = restHandler(restRoutes.getOpenApi, async () => ({ status: 200, body: openApiDocument() }));
