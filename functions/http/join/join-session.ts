import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { JoinBody, joinSession } from '../../../shared/sessions/join';

export const handler = restHandler(restRoutes.joinSession, { body: JoinBody }, async ({ body, sourceIp }) => ({
  status: 201,
  body: await joinSession(body, sourceIp, new Date()),
}));
