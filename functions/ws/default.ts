import { errorMessage } from '../../shared/realtime/sockets';
import { wsHandler } from '../../shared/http/ws-handler';

/** `$default`: any action the API does not know. */
export const handler = wsHandler(async ({ now }) =>
  errorMessage('UNKNOWN_ACTION', 'Known actions: subscribe, sync, ping.', now),
);
