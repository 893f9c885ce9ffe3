import { dispatchRoutes } from '../../../shared/http/dispatch';
import { handler as joinSession } from './join-session';
import { handler as getJoinRequest } from './get-join-request';
import { handler as approveJoinRequest } from './approve-join-request';
import { handler as denyJoinRequest } from './deny-join-request';

export const handler = dispatchRoutes('join', { joinSession, getJoinRequest, approveJoinRequest, denyJoinRequest });
