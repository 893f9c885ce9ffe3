import { restHandler } from '../../../shared/http/rest-handler';
import { restRoutes } from '../../../shared/http/routes';
import { fireCourse } from '../../../shared/kitchen/courses';

export const handler = restHandler(restRoutes.fireCourse, async ({ principal, params, body }) => ({
  status: 200,
  body: await fireCourse(principal, params.sessionId, body.course, new Date()),
}));
