import { ApiGatewayManagementApiClient, DeleteConnectionCommand, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { env } from '../config/env';
import type { ConnectionPoster } from './fanout';

let client: ApiGatewayManagementApiClient | undefined;

/** The @connections API of this stage's WebSocket API (locally, the runtime's stand-in on :3001). */
export function managementApiPoster(): ConnectionPoster {
  if (!env().WEBSOCKET_ENDPOINT) throw new Error('WEBSOCKET_ENDPOINT is not set');
  client ??= new ApiGatewayManagementApiClient({ endpoint: env().WEBSOCKET_ENDPOINT });
  const api = client;
  return {
    post: async (connectionId, payload) => {
      await api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(payload) }));
    },
    close: async (connectionId) => {
      await api.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    },
  };
}
