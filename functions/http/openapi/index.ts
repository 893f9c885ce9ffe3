import { dispatchRoutes } from '../../../shared/http/dispatch';
import { handler as getOpenApi } from './get-openapi';

export const handler = dispatchRoutes('openapi', { getOpenApi });
