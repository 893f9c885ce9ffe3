import { snapshot } from '../../shared/realtime/sockets';
import { wsHandler } from '../../shared/http/ws-handler';

export const handler = wsHandler(({ connectionId, now }) => snapshot(connectionId, now));
