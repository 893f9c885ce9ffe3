import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { removeGuest } from '../../../shared/sessions/guests';

export const handler = restHandler(restRoutes.removeGuest, async ({ principal, params }) => {
  await removeGuest(principal, params.sessionId, params.guestId, new Date());
  return { status: 204 };
});
