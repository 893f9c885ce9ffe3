import { dispatchRoutes } from '../../../shared/http/dispatch';
import { handler as joinSession } from './join-session';

export const handler = dispatchRoutes('join', { joinSession });
