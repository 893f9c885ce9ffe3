import { BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import { tableDefinition } from '../../shared/db/table-definition';
import type { FunctionSpec } from '../../shared/http/routes';
import { tableActions } from '../table-access';
import { localClient } from './dynamodb-local';
import { listen } from './listen';
import type { DynamoDbFault, FaultInjector } from './faults';
import { transactionUnits } from './transaction-capacity';
import type { TransactAction, WireItem } from './transaction-capacity';

/**
 * The IAM of the local runtime: every function reaches DynamoDB Local through this proxy, at a path
 * naming its grant (`/read`, `/readWrite`, `/none`). A call whose actions the grant does not allow
 * is refused the way DynamoDB refuses it on AWS, with an AccessDeniedException, so a "read" function
 * that writes fails here first. Transactions need every action they contain, as with IAM. With a
 * fault plan it is also where DynamoDB's bad moments are injected (lib/local/faults.ts). And it
 * reports the write units of a transaction as AWS bills them, which DynamoDB Local does not
 * (lib/local/transaction-capacity.ts): it reads the items before and after to know their sizes.
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

type TransactTarget = { TableName: string; Key?: WireItem; Item?: WireItem };
interface TransactRequest {
  TransactItems?: Partial<Record<TransactAction['kind'], TransactTarget>>[];
  ReturnConsumedCapacity?: string;
}

const idOf = (item: WireItem) => `${item[tableDefinition.partitionKey]?.S}\n${item[tableDefinition.sortKey]?.S}`;

/** The items at these targets' keys now, by key (consistent reads, straight from DynamoDB Local). */
async function readItems(client: DynamoDBClient, targets: TransactTarget[]): Promise<Map<string, WireItem>> {
  const found = new Map<string, WireItem>();
  const byTable = new Map<string, WireItem[]>();
  for (const target of targets) {
    const item = target.Key ?? target.Item ?? {};
    const key = { [tableDefinition.partitionKey]: item[tableDefinition.partitionKey], [tableDefinition.sortKey]: item[tableDefinition.sortKey] } as WireItem;
    byTable.set(target.TableName, [...(byTable.get(target.TableName) ?? []), key]);
  }
  let requested = Object.fromEntries([...byTable].map(([table, keys]) => [table, { Keys: keys, ConsistentRead: true }]));
  while (Object.keys(requested).length > 0) {
    const answer = await client.send(new BatchGetItemCommand({ RequestItems: requested }));
    for (const items of Object.values(answer.Responses ?? {})) for (const item of items) found.set(idOf(item), item);
    requested = (answer.UnprocessedKeys ?? {}) as typeof requested;
  }
  return found;
}

/**
 * AWS's ConsumedCapacity for a transaction that went through: per table, from the items as they
 * were before it (read before it was forwarded) and after it (a put's item, an update's read now).
 */
async function billedCapacity(client: DynamoDBClient, transaction: TransactRequest, before: Map<string, WireItem>) {
  const actions = (transaction.TransactItems ?? []).flatMap((entry) => Object.entries(entry).map(([kind, target]) => ({ kind: kind as TransactAction['kind'], target: target as TransactTarget })));
  const after = await readItems(client, actions.filter((action) => action.kind === 'Update').map((action) => action.target));
  const tables = [...new Set(actions.map((action) => action.target.TableName))];
  return tables.map((TableName) => {
    const units = transactionUnits(
      actions
        .filter((action) => action.target.TableName === TableName)
        .map(({ kind, target }) => {
          const id = idOf(target.Key ?? target.Item ?? {});
          const now = kind === 'Put' ? target.Item : kind === 'Update' ? after.get(id) : kind === 'Delete' ? undefined : before.get(id);
          return { kind, before: before.get(id), after: now };
        }),
    );
    return {
      TableName,
      CapacityUnits: units.total,
      ...(transaction.ReturnConsumedCapacity === 'INDEXES'
        ? { Table: { CapacityUnits: units.table }, GlobalSecondaryIndexes: Object.fromEntries(Object.entries(units.indexes).map(([name, capacity]) => [name, { CapacityUnits: capacity }])) }
        : {}),
    };
  });
}

/** Headers for a body the proxy rewrote: its length and DynamoDB's CRC32 of it. */
const rewrittenHeaders = (headers: IncomingHttpHeaders, body: Buffer) => ({ ...headers, 'content-length': String(body.length), 'x-amz-crc32': String(crc32(body)) });

/** How long a `timeout` fault holds a call before dropping it: longer than any client waits. */
const HOLD_MS = 30_000;

/** DynamoDB's error answer, as the SDK reads it. */
function answerError(res: ServerResponse, status: number, type: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type });
  res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }));
}

export async function startTableAccessProxy(target: string, log: (line: Record<string, unknown>) => void, faults?: FaultInjector<DynamoDbFault>): Promise<TableAccessProxy> {
  const upstream = new URL(target);
  const client = localClient(target);

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
    const transaction = operation === 'TransactWriteItems' ? (JSON.parse(body.toString('utf8')) as TransactRequest) : undefined;
    const billing = transaction && ['TOTAL', 'INDEXES'].includes(transaction.ReturnConsumedCapacity ?? 'NONE') ? transaction : undefined;
    const before = billing && (await readItems(client, (billing.TransactItems ?? []).flatMap((entry) => Object.values(entry) as TransactTarget[])).catch(() => undefined));
    const forward = request(
      { host: upstream.hostname, port: upstream.port, path: '/', method: req.method, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        // The table has the write; the caller never hears of it.
        if (fault === 'lostAnswer') return void answer.resume().once('end', () => req.socket.destroy());
        if (!billing || !before || answer.statusCode !== 200) {
          res.writeHead(answer.statusCode ?? 500, answer.headers);
          return void answer.pipe(res);
        }
        void (async () => {
          const chunks: Buffer[] = [];
          for await (const chunk of answer) chunks.push(chunk as Buffer);
          const original = Buffer.concat(chunks);
          // Should the reads fail, the caller still hears of its write, with DynamoDB Local's own figure.
          const consumed = await billedCapacity(client, billing, before).catch(() => undefined);
          const rewritten = consumed ? Buffer.from(JSON.stringify({ ...(JSON.parse(original.toString('utf8')) as object), ConsumedCapacity: consumed })) : original;
          res.writeHead(200, rewrittenHeaders(answer.headers, rewritten));
          res.end(rewritten);
        })().catch(() => req.socket.destroy());
      },
    );
    forward.on('error', () => answerError(res, 500, 'InternalServerError', 'DynamoDB Local did not answer.'));
    forward.end(body);
  }

  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 60_000;
  const listening = await listen(server, 0);
  return {
    endpointFor: (access) => `http://127.0.0.1:${listening.port}/${access}`,
    close: async () => {
      await listening.close();
      client.destroy();
    },
  };
}
