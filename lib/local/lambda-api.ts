import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FunctionError } from './function-host';
import type { LocalFunction } from './function-host';
import { listen } from './listen';

export interface LocalLambdaApi {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * The local stand-in for Lambda's Invoke API, as the SDK's InvokeCommand speaks it: a synchronous
 * (`RequestResponse`) invocation of a local function by name or ARN answers 200 with the handler's
 * result; a handler that threw or timed out answers 200 with `X-Amz-Function-Error: Unhandled` and
 * `{errorType, errorMessage}`; an unknown function is 404 `ResourceNotFoundException`. Other
 * invocation types are refused: nothing here uses them.
 */
export async function startLocalLambdaApi(options: { target: (nameOrArn: string) => LocalFunction | undefined }): Promise<LocalLambdaApi> {
  async function api(req: IncomingMessage, res: ServerResponse) {
    const requestId = randomUUID();
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': requestId, ...headers });
      res.end(JSON.stringify(body));
    };
    const refuse = (status: number, errorType: string, message: string) => reply(status, { Type: 'User', message }, { 'x-amzn-errortype': errorType });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (req.method !== 'POST' || !match) return refuse(404, 'UnknownOperationException', 'Only Invoke is emulated.');
    if ((req.headers['x-amz-invocation-type'] ?? 'RequestResponse') !== 'RequestResponse') {
      return refuse(400, 'InvalidParameterValueException', 'Only RequestResponse invocations are emulated.');
    }
    const name = decodeURIComponent(match[1] as string);
    const fn = options.target(name);
    if (!fn) return refuse(404, 'ResourceNotFoundException', `Function not found: ${name}`);
    let event: unknown;
    try {
      event = chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return refuse(400, 'InvalidRequestContentException', 'Could not parse request body into json.');
    }
    try {
      return reply(200, (await fn.invoke(event, requestId)) ?? null, { 'x-amz-executed-version': '$LATEST' });
    } catch (error) {
      const { errorType, message } = error instanceof FunctionError ? error : { errorType: 'Error', message: (error as Error).message };
      return reply(200, { errorType, errorMessage: message }, { 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '$LATEST' });
    }
  }

  const server = createServer((req, res) => {
    api(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'x-amzn-errortype': 'ServiceException' }).end('{}');
    });
  });
  const listening = await listen(server, 0);
  return { endpoint: `http://127.0.0.1:${listening.port}`, close: () => listening.close() };
}
