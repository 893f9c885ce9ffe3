import { subscribe } from '../../shared/realtime/sockets';
import { wsHandler } from '../../shared/http/ws-handler';

export const handler = wsHandler(({ connectionId, body, now }) => subscribe(connectionId, body, now));
