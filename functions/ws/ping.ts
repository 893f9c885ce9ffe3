import { pong } from '../../shared/realtime/sockets';
import { wsHandler } from '../../shared/http/ws-handler';

export const handler = wsHandler(async ({ now }) => pong(now));
