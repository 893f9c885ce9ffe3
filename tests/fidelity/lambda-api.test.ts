import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsEnv } from '../../lib/local/dynamodb-local';
import { FunctionError } from '../../lib/local/function-host';
import type { LocalFunction } from '../../lib/local/function-host';
import { startLocalLambdaApi } from '../../lib/local/lambda-api';
import type { LocalLambdaApi } from '../../lib/local/lambda-api';

/** The runtime's Lambda Invoke stand-in, spoken to by the SDK client the fan-out uses, answers as Lambda documents. */
let api: LocalLambdaApi;
let client: LambdaClient;
const functions: Record<string, LocalFunction> = {
  echo: { invoke: async (event) => ({ received: event }), stop: async () => undefined },
  slow: { invoke: async () => Promise.reject(new FunctionError('Sandbox.Timedout', 'Task timed out after 10.00 seconds')), stop: async () => undefined },
};

beforeAll(async () => {
  api = await startLocalLambdaApi({ target: (name) => functions[name.replace(/^arn:aws:lambda:local:000000000000:function:/, '')] });
  client = new LambdaClient({
    endpoint: api.endpoint,
    region: localAwsEnv.AWS_REGION,
    credentials: { accessKeyId: localAwsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: localAwsEnv.AWS_SECRET_ACCESS_KEY },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await api?.close();
});

const text = (payload: Uint8Array | undefined) => JSON.parse(Buffer.from(payload ?? new Uint8Array()).toString());

describe('the local Lambda Invoke API', () => {
  it("returns the handler's result with status 200, by name or by ARN", async () => {
    for (const FunctionName of ['echo', 'arn:aws:lambda:local:000000000000:function:echo']) {
      const answer = await client.send(new InvokeCommand({ FunctionName, Payload: JSON.stringify({ posts: 3 }) }));
      expect(answer.StatusCode).toBe(200);
      expect(answer.FunctionError).toBeUndefined();
      expect(text(answer.Payload)).toEqual({ received: { posts: 3 } });
    }
  });

  it('reports a function that failed as FunctionError "Unhandled" with its errorType and errorMessage, still status 200', async () => {
    const answer = await client.send(new InvokeCommand({ FunctionName: 'slow', Payload: '{}' }));
    expect(answer.StatusCode).toBe(200);
    expect(answer.FunctionError).toBe('Unhandled');
    expect(text(answer.Payload)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 10.00 seconds' });
  });

  it('refuses an unknown function with ResourceNotFoundException and an asynchronous invocation it does not emulate', async () => {
    await expect(client.send(new InvokeCommand({ FunctionName: 'nobody', Payload: '{}' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: '{}' }))).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      $metadata: { httpStatusCode: 400 },
    });
  });
});
