import { pong } from '../../shared/realtime/connections';
import { wsHandler } from '../../shared/http/ws-handler';

export const handler = wsHandler(async ({ now }) => pong(now));
