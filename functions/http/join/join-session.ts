import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { joinSession } from '../../../shared/sessions/join';

export const handler = restHandler(restRoutes.joinSession, async ({ body, sourceIp }) => ({
  status: 201,
  body: await joinSession(body, sourceIp, new Date()),
}));
