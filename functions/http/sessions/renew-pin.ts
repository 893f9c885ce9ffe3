import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { renewPin } from '../../../shared/sessions/sessions';

export const handler = restHandler(restRoutes.renewPin, async ({ principal, params }) => ({
  status: 200,
  body: await renewPin(principal, params.sessionId, new Date()),
}));
