import { snapshot } from '../../shared/realtime/connections';
import { wsHandler } from '../../shared/realtime/ws-handler';

export const handler = wsHandler(({ connectionId, now }) => snapshot(connectionId, now));
