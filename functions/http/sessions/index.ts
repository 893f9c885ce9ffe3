import { dispatchRoutes } from '../../../shared/http/dispatch';
import { handler as openSession } from './open-session';
import { handler as listSessions } from './list-sessions';
import { handler as getSession } from './get-session';
import { handler as renewPin } from './renew-pin';
import { handler as moveSession } from './move-session';
import { handler as closeSession } from './close-session';
import { handler as removeGuest } from './remove-guest';
import { handler as issueRejoinCode } from './issue-rejoin-code';
import { handler as fireCourse } from './fire-course';
import { handler as listServiceRequests } from './list-service-requests';
import { handler as acknowledgeServiceRequest } from './acknowledge-service-request';

export const handler = dispatchRoutes('sessions', {
  openSession,
  listSessions,
  getSession,
  renewPin,
  moveSession,
  closeSession,
  removeGuest,
  issueRejoinCode,
  fireCourse,
  listServiceRequests,
  acknowledgeServiceRequest,
});
