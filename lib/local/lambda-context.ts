import type { Context } from 'aws-lambda';
import { measureDynamoDb } from '../../shared/observability/dynamodb-usage';

/** A Lambda context like the one the runtime passes, for invoking handlers locally. */
export function lambdaContext(functionName: string, awsRequestId: string, timeoutMs = 10_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Lambda event shape
type Handler = (event: any, context: Context) => Promise<unknown>;

/** The route an event is for, as the manifest names it (`POST /v1/orders`, `$connect`); none for stream batches. */
function routeOf(event: unknown): string | undefined {
  const { httpMethod, resource, requestContext } = event as { httpMethod?: string; resource?: string; requestContext?: { routeKey?: string } };
  return httpMethod && resource ? `${httpMethod} ${resource}` : requestContext?.routeKey;
}

/**
 * Loads a handler named in the route manifest (the process runs under tsx, so .ts imports work).
 * Like Lambda's REPORT line, every invocation then logs one `invocation` line: the function, the route, its
 * duration, and the DynamoDB round trips it made with the capacity units they consumed, which is
 * what the benchmarks read.
 */
export async function loadHandler<T extends Handler>(root: string, entry: string, log: (line: Record<string, unknown>) => void): Promise<T> {
  const module = (await import(new URL(entry, root).href)) as { handler?: T };
  const handler = module.handler;
  if (typeof handler !== 'function') throw new Error(`${entry} does not export a handler`);
  return ((event: unknown, context: Context) => {
    const started = performance.now();
    let error = false;
    return measureDynamoDb(
      () =>
        handler(event, context).catch((thrown: unknown) => {
          error = true;
          throw thrown;
        }),
      (usage) =>
        log({
          message: 'invocation',
          function: entry,
          route: routeOf(event),
          requestId: context.awsRequestId,
          // API Gateway's id, shared by a request's authorizer and handler invocations (none for stream batches).
          gatewayRequestId: (event as { requestContext?: { requestId?: string } }).requestContext?.requestId,
          durationMs: Math.round((performance.now() - started) * 100) / 100,
          error,
          dynamoDbCalls: usage.calls,
          readCapacityUnits: usage.readUnits,
          writeCapacityUnits: usage.writeUnits,
        }),
    );
  }) as T;
}
