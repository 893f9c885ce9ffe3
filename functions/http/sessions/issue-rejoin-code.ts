import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { issueRejoinCode } from '../../../shared/sessions/guests';

export const handler = restHandler(restRoutes.issueRejoinCode, async ({ principal, params }) => ({
  status: 200,
  body: await issueRejoinCode(principal, params.sessionId, params.guestId, new Date()),
}));
