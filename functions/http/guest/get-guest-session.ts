import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { describeGuestSession } from '../../../shared/sessions/join';

export const handler = restHandler(restRoutes.getGuestSession, async ({ principal }) => ({
  status: 200,
  body: await describeGuestSession(principal, new Date()),
}));
