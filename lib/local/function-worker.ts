import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import { measureDynamoDb } from '../../shared/observability/dynamodb-usage';
import { lambdaContext } from './lambda-context';

/**
 * One instance of one Lambda function, in a worker thread of its own: its own module state and
 * only the environment its template gives it (see function-host.ts). It loads the function's bundle
 * (its init phase), then takes one event at a time, and reports each invocation the way Lambda's
 * REPORT line does: duration, and the DynamoDB round trips with the capacity units they consumed.
 * This module is bundled too (function-bundles.ts); the bundle's DynamoDB client reports its round
 * trips to this module's measurement through the thread's one store (dynamodb-usage.ts).
 */
export interface WorkerSetup {
  /** The entry as the manifest names it (relative to the repository), and its bundle's URL to import. */
  entry: string;
  bundleUrl: string;
  functionName: string;
  memoryMb: number;
}

export type WorkerRequest = { id: number; event: unknown; requestId: string; deadline: number };
export type WorkerReply =
  | { ready: true }
  | { id: number; ok: true; result: unknown; report: Record<string, unknown> }
  | { id: number; ok: false; error: { name: string; message: string }; report: Record<string, unknown> };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Lambda event shape
type Handler = (event: any, context: Context) => Promise<unknown>;

const port = parentPort;
if (!port) throw new Error('function-worker.ts runs as a worker thread');
const setup = workerData as WorkerSetup;
// Stack traces name the TypeScript sources, as on Lambda (NODE_OPTIONS=--enable-source-maps).
process.setSourceMapsEnabled(true);
const { handler } = (await import(setup.bundleUrl)) as { handler?: Handler };
if (typeof handler !== 'function') throw new Error(`${setup.entry} does not export a handler`);

/** The route an event is for, as the manifest names it (`POST /v1/orders`, `$connect`); none for stream batches. */
function routeOf(event: unknown): string | undefined {
  const { httpMethod, resource, requestContext } = event as { httpMethod?: string; resource?: string; requestContext?: { routeKey?: string } };
  return httpMethod && resource ? `${httpMethod} ${resource}` : requestContext?.routeKey;
}

port.on('message', async ({ id, event, requestId, deadline }: WorkerRequest) => {
  const started = performance.now();
  const context = lambdaContext(setup.functionName, requestId, deadline - Date.now(), setup.memoryMb);
  let outcome: { ok: true; result: unknown } | { ok: false; error: { name: string; message: string } } = { ok: true, result: undefined };
  await measureDynamoDb(
    async () => {
      try {
        outcome = { ok: true, result: await handler(event, context) };
      } catch (thrown) {
        const error = thrown instanceof Error ? thrown : new Error(String(thrown));
        outcome = { ok: false, error: { name: error.name, message: error.message } };
      }
    },
    (usage) => {
      const report = {
        message: 'invocation',
        // The manifest's entry, as the benchmarks read it.
        function: setup.entry,
        route: routeOf(event),
        requestId,
        // API Gateway's id, shared by a request's authorizer and handler invocations (none for stream batches).
        gatewayRequestId: (event as { requestContext?: { requestId?: string } }).requestContext?.requestId,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        error: !outcome.ok,
        dynamoDbCalls: usage.calls,
        readCapacityUnits: usage.readUnits,
        writeCapacityUnits: usage.writeUnits,
      };
      port.postMessage({ id, ...outcome, report } satisfies WorkerReply);
    },
  );
});
port.postMessage({ ready: true } satisfies WorkerReply);
