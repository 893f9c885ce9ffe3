import { functionEnvironment, stages } from '../stage-config';
import type { SiteUrls } from '../stage-config';
import { ensureTable, localAwsEnv, startDynamoDbLocal } from './dynamodb-local';
import { startRestGateway } from './rest-gateway';
import { startStreamPoller } from './stream-poller';
import { startWebSocketGateway } from './websocket-gateway';
import { startFunction } from './function-host';
import { bundleFunctions } from './function-bundles';
import type { FunctionBundles } from './function-bundles';
import { startTableAccessProxy } from './table-access-proxy';
import { startTtlSweeper } from './ttl-sweeper';
import { startLocalScheduler } from './scheduler';
import { startLocalLambdaApi } from './lambda-api';
import type { TableAccessProxy } from './table-access-proxy';
import type { LocalFunction } from './function-host';
import { DEFAULT_TIMEOUT_SECONDS, authorizer, availabilityTimer, deliveryFunction, lambdaFunctions, restFunctions, streamConsumer, webSocketFunction } from '../../shared/http/routes';
import type { FunctionSpec, RestFunctionName } from '../../shared/http/routes';
import { STREAM_MAPPING } from '../../shared/realtime/stream-filters';
import { FaultInjector } from './faults';
import type { ConnectionFault, DynamoDbFault, FaultPlan } from './faults';

export const LOCAL_TABLE_NAME = 'qr-ordering-local';
export const LOCAL_DATA_DIR = '.local/dynamodb';
/** Stream records the local fan-out gave up on (the DLQ when deployed), one JSON line each. */
export const DEAD_LETTER_FILE = '.local/stream-dead-letters.jsonl';
/** Timed 86s waiting for their time, kept across restarts unless the runtime runs in memory. */
export const SCHEDULES_FILE = '.local/schedules.json';
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
  /** Where the REST and WebSocket APIs listen (127.0.0.1 unless said). */
  host?: string;
  /** How often expired items are deleted (DynamoDB's TTL); 30 s unless said. */
  ttlSweepSeconds?: number;
  /** Idle seconds after which a WebSocket connection is closed; API Gateway's 10 minutes unless said (tests). */
  webSocketIdleSeconds?: number;
  /** Faults to inject between the functions and DynamoDB Local, and on @connections (lib/local/faults.ts). */
  faults?: { dynamoDb?: FaultPlan<DynamoDbFault>; connections?: FaultPlan<ConnectionFault> };
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
  Object.assign(process.env, localEnvironment(dynamoDbEndpoint, tableName), { PIN_KEY: LOCAL_PIN_KEY }, extra);
}

/** Deployed stages read the PIN key from Secrets Manager; locally a fixed key keeps PINs valid across restarts. */
const LOCAL_PIN_KEY = 'local-only-pin-key-never-deployed';

/** The dev stage's function environment with the local stand-ins for AWS's: DynamoDB Local, fixed credentials. */
function localEnvironment(dynamoDbEndpoint: string, tableName: string): Record<string, string> {
  return {
    ...functionEnvironment(stages.dev, tableName, LOCAL_SITE),
    ...localAwsEnv,
    STAGE: 'local',
    DYNAMODB_ENDPOINT: dynamoDbEndpoint,
    // The benchmarks and the invocation lines report consumed capacity; deployed functions do not ask for it.
    MEASURE_CONSUMED_CAPACITY: 'true',
  };
}

/** Where the functions' calls to AWS's other services go locally. */
interface LocalEndpoints {
  webSocket: string;
  scheduler: string;
  lambda: string;
}

/**
 * One function's environment as its template gives it (see ApiFunction): the stage's, the PIN key
 * only where the manifest grants it, the @connections endpoint only for the fan-out and the delivery
 * function (which only the fan-out invokes), the scheduler only for the menu. Nothing of this process's own environment leaks in.
 */
function functionEnvironmentOf(spec: FunctionSpec, shared: Record<string, string>, access: TableAccessProxy, endpoints: LocalEndpoints, overrides: Record<string, string>) {
  return {
    ...shared,
    // DynamoDB through the local IAM: only the actions the function's grant allows.
    DYNAMODB_ENDPOINT: access.endpointFor(spec.table),
    AWS_LAMBDA_FUNCTION_NAME: localFunctionName(spec),
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(stages.dev.lambdaMemoryMb),
    ...(spec.pinKey ? { PIN_KEY: LOCAL_PIN_KEY } : {}),
    ...(spec === streamConsumer || spec === deliveryFunction ? { WEBSOCKET_ENDPOINT: endpoints.webSocket } : {}),
    ...(spec === streamConsumer ? { DELIVERY_FUNCTION_NAME: localFunctionName(deliveryFunction), LAMBDA_ENDPOINT: endpoints.lambda } : {}),
    ...(spec === restFunctions.menu
      ? { SCHEDULER_ENDPOINT: endpoints.scheduler, SCHEDULE_GROUP: 'local', AVAILABILITY_TIMER_ARN: localFunctionArn(availabilityTimer), SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/local-scheduler' }
      : {}),
    ...overrides,
  };
}

/** A function's local name, from its entry: `functions/http/menu/index.ts` → `http-menu`. */
const localFunctionName = (spec: FunctionSpec) => spec.entry.replace(/^functions\//, '').replace(/(\/index)?\.ts$/, '').replaceAll('/', '-');
const localFunctionArn = (spec: FunctionSpec) => `arn:aws:lambda:local:000000000000:function:${localFunctionName(spec)}`;

/** Every function of the manifest as a local Lambda function (worker-thread instances of its bundle), by spec. */
function startFunctions(bundles: FunctionBundles, environment: (spec: FunctionSpec) => Record<string, string>, log: LocalRuntimeOptions['log']): Map<FunctionSpec, LocalFunction> {
  return new Map(
    lambdaFunctions.map((spec) => [
      spec,
      startFunction({
        entry: spec.entry,
        bundles,
        functionName: localFunctionName(spec),
        environment: environment(spec),
        timeoutSeconds: spec.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
        memoryMb: stages.dev.lambdaMemoryMb,
        // The stream poller invokes the fan-out from each of a shard's lanes at once; a lane that waited
        // for a cold instance would hold its messages back by seconds.
        warmInstances: spec === streamConsumer ? STREAM_MAPPING.parallelizationFactor : 1,
        log,
      }),
    ]),
  );
}

/**
 * The local stand-in for the deployed stage: DynamoDB Local with the table from the shared
 * definition, the REST and WebSocket routes of the manifest served by the real handler modules,
 * and the stream poller feeding the real fan-out handler, which posts back through @connections.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  let stopFunctions: () => Promise<unknown> = async () => undefined;
  let removeBundles = async () => undefined as void;
  let stopTtl = () => undefined as void;
  let stopWebSocket = async () => undefined as void;
  const dynamo = options.dynamoDbEndpoint
    ? { endpoint: options.dynamoDbEndpoint, stop: async () => undefined }
    : await startDynamoDbLocal({ port: options.dynamoDbPort, dbPath: options.inMemory ? undefined : LOCAL_DATA_DIR });
  try {
    await ensureTable(dynamo.endpoint, options.tableName);
    const shared = localEnvironment(dynamo.endpoint, options.tableName);
    // The seed and the CLI tools run here, in this process, with the same values.
    useLocalEnvironment(dynamo.endpoint, options.tableName, options.overrides);
    const dynamoDbFaults = options.faults?.dynamoDb && new FaultInjector(options.faults.dynamoDb);
    const connectionFaults = options.faults?.connections && new FaultInjector(options.faults.connections);
    let functions = new Map<FunctionSpec, LocalFunction>();
    // Gateways and the scheduler are bound before the functions start, since their environments name them; they reach each function when it is called.
    const fn = (spec: FunctionSpec): LocalFunction => ({
      invoke: (event, requestId) => {
        const started = functions.get(spec);
        return started ? started.invoke(event, requestId) : Promise.reject(new Error('The runtime is still starting.'));
      },
      stop: async () => undefined,
    });
    const webSocket = await startWebSocketGateway({
      authorizer: fn(authorizer),
      socketFunction: fn(webSocketFunction),
      port: options.webSocketPort,
      host: options.host,
      limits: options.webSocketIdleSeconds ? { idleSeconds: options.webSocketIdleSeconds } : undefined,
      faults: connectionFaults,
      log: options.log,
    });
    stopWebSocket = () => webSocket.close();
    const access = await startTableAccessProxy(dynamo.endpoint, options.log, dynamoDbFaults);
    const scheduler = await startLocalScheduler({
      target: (arn) => [...functions].find(([spec]) => localFunctionArn(spec) === arn)?.[1],
      // Schedules live as long as the data they belong to.
      stateFile: options.inMemory || options.dynamoDbEndpoint ? undefined : new URL(SCHEDULES_FILE, root).pathname,
      log: options.log,
    });
    const lambda = await startLocalLambdaApi({ target: (nameOrArn) => [...functions].find(([spec]) => [localFunctionName(spec), localFunctionArn(spec)].includes(nameOrArn))?.[1] });
    const bundles = await bundleFunctions(lambdaFunctions.map((spec) => spec.entry));
    removeBundles = () => bundles.remove();
    functions = startFunctions(
      bundles,
      (spec) => functionEnvironmentOf(spec, shared, access, { webSocket: webSocket.managementUrl, scheduler: scheduler.endpoint, lambda: lambda.endpoint }, options.overrides ?? {}),
      options.log,
    );
    stopFunctions = () => Promise.all([...functions.values()].map((started) => started.stop()).concat(access.close(), scheduler.close(), lambda.close()));
    // The poller starts at LATEST before any request can write: no record of this run is missed.
    const ttl = startTtlSweeper({ endpoint: dynamo.endpoint, tableName: options.tableName, intervalSeconds: options.ttlSweepSeconds, log: options.log });
    stopTtl = () => ttl.stop();
    const poller = await startStreamPoller({
      ttl,
      handler: fn(streamConsumer),
      endpoint: dynamo.endpoint,
      tableName: options.tableName,
      deadLetterFile: new URL(DEAD_LETTER_FILE, root).pathname,
      log: options.log,
    });
    const rest = await startRestGateway({
      authorizer: fn(authorizer),
      functions: new Map((Object.entries(restFunctions) as [RestFunctionName, FunctionSpec][]).map(([name, spec]) => [name, fn(spec)])),
      port: options.restPort,
      host: options.host,
      trustForwardedFor: options.trustForwardedFor ?? false,
      log: options.log,
    });
    return {
      restUrl: rest.url,
      webSocketUrl: webSocket.url,
      dynamoDbEndpoint: dynamo.endpoint,
      close: async () => {
        if (dynamoDbFaults) options.log({ message: 'injected DynamoDB faults', faults: dynamoDbFaults.summary() });
        if (connectionFaults) options.log({ message: 'injected @connections faults', faults: connectionFaults.summary() });
        stopTtl();
        await poller.stop();
        await webSocket.close();
        await rest.close();
        await stopFunctions();
        await removeBundles();
        await dynamo.stop();
      },
    };
  } catch (error) {
    stopTtl();
    await stopWebSocket();
    await stopFunctions();
    await removeBundles();
    await dynamo.stop();
    throw error;
  }
}
