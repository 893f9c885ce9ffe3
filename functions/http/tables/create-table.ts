import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { createTable } from '../../../shared/tables/tables';

export const handler = restHandler(restRoutes.createTable, async ({ principal, body }) => ({ status: 201, body: await createTable(principal, body, new Date()) }),
);
