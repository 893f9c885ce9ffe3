import { snapshot } from '../../shared/realtime/connections';
import { wsHandler } from '../../shared/http/ws-handler';

export const handler = wsHandler(({ connectionId, now }) => snapshot(connectionId, now));
