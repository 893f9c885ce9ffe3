import { ApiGatewayManagementApiClient, DeleteConnectionCommand, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import type { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { env } from '../config/env';
import { PostOutcome } from './posting';
import type { ConnectionPoster, PostBatch } from './posting';

let client: ApiGatewayManagementApiClient | undefined;
let lambda: Promise<{ client: LambdaClient; InvokeCommand: typeof InvokeCommand }> | undefined;

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

/**
 * The fan-out's poster: @connections, with a big channel's shares posted by invocations of the
 * delivery function (locally, through the runtime's Lambda stand-in). The Lambda client is loaded on
 * the first share, not at init: most restaurants never have a channel that big, and loading it costs
 * every cold start of the fan-out about 30 ms.
 */
export function fanoutPoster(): ConnectionPoster {
  const { DELIVERY_FUNCTION_NAME, LAMBDA_ENDPOINT } = env();
  if (!DELIVERY_FUNCTION_NAME) throw new Error('DELIVERY_FUNCTION_NAME is not set');
  return {
    ...managementApiPoster(),
    spread: async (batch: PostBatch) => {
      lambda ??= import('@aws-sdk/client-lambda').then((sdk) => ({ client: new sdk.LambdaClient(LAMBDA_ENDPOINT ? { endpoint: LAMBDA_ENDPOINT } : {}), InvokeCommand: sdk.InvokeCommand }));
      const { client: functions, InvokeCommand: Invoke } = await lambda;
      const answer = await functions.send(new Invoke({ FunctionName: DELIVERY_FUNCTION_NAME, Payload: JSON.stringify(batch) }));
      const body: unknown = JSON.parse(Buffer.from(answer.Payload ?? new Uint8Array()).toString() || 'null');
      if (answer.FunctionError) throw new Error(`The delivery function failed: ${(body as { errorMessage?: string } | null)?.errorMessage ?? answer.FunctionError}`);
      return PostOutcome.parse(body);
    },
  };
}
