import { disconnect } from '../../shared/realtime/connections';
import { wsHandler } from '../../shared/realtime/ws-handler';

export const handler = wsHandler(async ({ connectionId }) => {
  await disconnect(connectionId);
});
