import { subscribe } from '../../shared/realtime/connections';
import { wsHandler } from '../../shared/realtime/ws-handler';

export const handler = wsHandler(({ connectionId, body, now }) => subscribe(connectionId, body, now));
