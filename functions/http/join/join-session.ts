import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { joinSession } from '../../../shared/sessions/join';

export const handler = restHandler(restRoutes.joinSession, async ({ body, sourceIp }) => joinSession(body, sourceIp, new Date()));
