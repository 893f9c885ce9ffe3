import { dispatchRoutes } from '../../../shared/http/dispatch';
import { handler as openSession } from './open-session';
import { handler as listSessions } from './list-sessions';
import { handler as getSession } from './get-session';
import { handler as renewPin } from './renew-pin';
import { handler as moveSession } from './move-session';
import { handler as closeSession } from './close-session';

export const handler = dispatchRoutes('sessions', { openSession, listSessions, getSession, renewPin, moveSession, closeSession });
