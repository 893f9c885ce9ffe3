import { functionEnvironment, stages } from '../stage-config';
import type { SiteUrls } from '../stage-config';
import { ensureTable, freePort, localAwsEnv, startDynamoDbLocal } from './dynamodb-local';
import { startRestGateway } from './rest-gateway';
import { startStreamPoller } from './stream-poller';
import { startWebSocketGateway } from './websocket-gateway';

export const LOCAL_TABLE_NAME = 'qr-ordering-local';
export const LOCAL_DATA_DIR = '.local/dynamodb';
/** Where the guest app is served locally: QR codes point here and browsers may call the API from it. */
export const LOCAL_SITE: SiteUrls = { guestOrderingUrl: 'http://localhost:5173/t', corsOrigin: 'http://localhost:5173' };

const root = new URL('../../', import.meta.url);

export interface LocalRuntimeOptions {
  restPort: number;
  /** WebSocket API and its @connections endpoint (0 picks a free port). */
  webSocketPort: number;
  /** Use this DynamoDB (e.g. the test harness's) instead of starting DynamoDB Local. */
  dynamoDbEndpoint?: string;
  dynamoDbPort: number;
  /** Keep nothing across restarts. */
  inMemory: boolean;
  tableName: string;
  /** Function environment overrides, e.g. shorter lockouts for tests. */
  overrides?: Record<string, string>;
  /** Take the source IP from X-Forwarded-For (tests simulate many clients); never in front of real traffic. */
  trustForwardedFor?: boolean;
  log: (line: Record<string, unknown>) => void;
}

export interface LocalRuntime {
  restUrl: string;
  webSocketUrl: string;
  dynamoDbEndpoint: string;
  close(): Promise<void>;
}

/**
 * Points the process at a local DynamoDB the way a deployed function's environment points at its
 * table. shared/ reads it on first use, so this must run before the first request, not before any import.
 */
export function useLocalEnvironment(dynamoDbEndpoint: string, tableName: string, extra: Record<string, string> = {}) {
  Object.assign(process.env, functionEnvironment(stages.dev, tableName, LOCAL_SITE), localAwsEnv, {
    STAGE: 'local',
    DYNAMODB_ENDPOINT: dynamoDbEndpoint,
    // The benchmarks and the invocation lines report consumed capacity; deployed functions do not ask for it.
    MEASURE_CONSUMED_CAPACITY: 'true',
    // Deployed stages read the PIN key from Secrets Manager; locally a fixed key keeps PINs valid across restarts.
    PIN_KEY: 'local-only-pin-key-never-deployed',
    ...extra,
  });
}

/**
 * The local stand-in for the deployed stage: DynamoDB Local with the table from the shared
 * definition, the REST and WebSocket routes of the manifest served by the real handler modules,
 * and the stream poller feeding the real fan-out handler, which posts back through @connections.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const dynamo = options.dynamoDbEndpoint
    ? { endpoint: options.dynamoDbEndpoint, stop: async () => undefined }
    : await startDynamoDbLocal({ port: options.dynamoDbPort, dbPath: options.inMemory ? undefined : LOCAL_DATA_DIR });
  try {
    await ensureTable(dynamo.endpoint, options.tableName);
    // The fan-out's environment names the @connections endpoint, so its port is fixed before any handler loads.
    const webSocketPort = options.webSocketPort || (await freePort());
    useLocalEnvironment(dynamo.endpoint, options.tableName, {
      WEBSOCKET_ENDPOINT: `http://127.0.0.1:${webSocketPort}`,
      ...options.overrides,
    });
    const rest = await startRestGateway({
      root,
      port: options.restPort,
      trustForwardedFor: options.trustForwardedFor ?? false,
      log: options.log,
    });
    const webSocket = await startWebSocketGateway({ root, port: webSocketPort, log: options.log });
    const poller = await startStreamPoller({ root, endpoint: dynamo.endpoint, tableName: options.tableName, log: options.log });
    return {
      restUrl: rest.url,
      webSocketUrl: webSocket.url,
      dynamoDbEndpoint: dynamo.endpoint,
      close: async () => {
        await poller.stop();
        await webSocket.close();
        await rest.close();
        await dynamo.stop();
      },
    };
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
}
