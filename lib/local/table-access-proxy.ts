import { createServer, request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FunctionSpec } from '../../shared/http/routes';
import { tableActions } from '../table-access';
import { listen } from './listen';
import type { DynamoDbFault, FaultInjector } from './faults';

/**
 * The IAM of the local runtime: every function reaches DynamoDB Local through this proxy, at a path
 * naming its grant (`/read`, `/readWrite`, `/none`). A call whose actions the grant does not allow
 * is refused the way DynamoDB refuses it on AWS, with an AccessDeniedException, so a "read" function
 * that writes fails here first. Transactions need every action they contain, as with IAM. With a
 * fault plan it is also where DynamoDB's bad moments are injected (lib/local/faults.ts).
 */
export interface TableAccessProxy {
  endpointFor(access: FunctionSpec['table']): string;
  close(): Promise<void>;
}

type Access = FunctionSpec['table'];
const ACCESSES: readonly Access[] = ['none', 'read', 'readWrite'];

/** The IAM actions a DynamoDB API call needs. */
function actionsOf(operation: string, body: string): string[] {
  if (operation === 'TransactGetItems') return ['GetItem'];
  if (operation !== 'TransactWriteItems') return [operation];
  const items = (JSON.parse(body) as { TransactItems?: Record<string, unknown>[] }).TransactItems ?? [];
  const names: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' };
  return [...new Set(items.flatMap((item) => Object.keys(item).map((kind) => names[kind] ?? kind)))];
}

/** How long a `timeout` fault holds a call before dropping it: longer than any client waits. */
const HOLD_MS = 30_000;

/** DynamoDB's error answer, as the SDK reads it. */
function answerError(res: ServerResponse, status: number, type: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type });
  res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }));
}

export async function startTableAccessProxy(target: string, log: (line: Record<string, unknown>) => void, faults?: FaultInjector<DynamoDbFault>): Promise<TableAccessProxy> {
  const upstream = new URL(target);

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const access = ACCESSES.find((candidate) => req.url === `/${candidate}/` || req.url === `/${candidate}`);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const allowed = access ? tableActions(access) : [];
    const needed = actionsOf(operation, body.toString('utf8'));
    const denied = needed.find((action) => !allowed.includes(action));
    if (!access || denied) {
      log({ level: 'WARN', message: 'DynamoDB call refused by the local IAM', access, operation, action: denied });
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'AccessDeniedException' });
      res.end(
        JSON.stringify({
          __type: 'com.amazon.coral.service#AccessDeniedException',
          Message: `User: arn:aws:sts::000000000000:assumed-role/local-${access ?? 'unknown'}/local is not authorized to perform: dynamodb:${denied ?? operation} because no identity-based policy allows the dynamodb:${denied ?? operation} action`,
        }),
      );
      return;
    }
    const fault = faults?.pick(operation);
    if (fault) log({ level: 'WARN', message: 'injected DynamoDB fault', operation, fault });
    if (fault === 'throttle') return answerError(res, 400, 'ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded.');
    if (fault === 'error500') return answerError(res, 500, 'InternalServerError', 'Internal server error');
    if (fault === 'reset') return void req.socket.destroy();
    if (fault === 'timeout') return void setTimeout(() => req.socket.destroy(), HOLD_MS).unref();
    const forward = request(
      { host: upstream.hostname, port: upstream.port, path: '/', method: req.method, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        // The table has the write; the caller never hears of it.
        if (fault === 'lostAnswer') return void answer.resume().once('end', () => req.socket.destroy());
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => answerError(res, 500, 'InternalServerError', 'DynamoDB Local did not answer.'));
    forward.end(body);
  }

  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 60_000;
  const listening = await listen(server, 0);
  return { endpointFor: (access) => `http://127.0.0.1:${listening.port}/${access}`, close: listening.close };
}
