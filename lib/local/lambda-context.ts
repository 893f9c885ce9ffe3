import type { Context } from 'aws-lambda';

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

/** Loads a handler module named in the route manifest (the process runs under tsx, so .ts imports work). */
export async function loadHandler<T>(root: string, entry: string): Promise<T> {
  const module = (await import(new URL(entry, root).href)) as { handler?: T };
  if (typeof module.handler !== 'function') throw new Error(`${entry} does not export a handler`);
  return module.handler;
}
