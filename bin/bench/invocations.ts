import type { DynamoDbCall } from '../../shared/observability/dynamodb-usage';

/** One `invocation` line of the local runtime (lib/local/lambda-context.ts): a handler call, like Lambda's REPORT. */
export interface Invocation {
  function: string;
  /** `POST /v1/orders`, `$connect`; none for stream batches. */
  route?: string;
  gatewayRequestId?: string;
  durationMs: number;
  error: boolean;
  dynamoDbCalls: DynamoDbCall[];
  readCapacityUnits: number;
  writeCapacityUnits: number;
}

/** Appends `value` to the list under `key`, starting the list when there is none. */
export function append<K, V>(lists: Map<K, V[]>, key: K, value: V): void {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}

/** Collects the runtime's invocation lines as they are printed. */
export class InvocationLog {
  readonly all: Invocation[] = [];
  private readonly byRequest = new Map<string, Invocation[]>();

  add(line: string): void {
    if (!line.includes('"invocation"')) return;
    const parsed = JSON.parse(line) as Invocation & { message: string };
    if (parsed.message !== 'invocation') return;
    this.all.push(parsed);
    if (parsed.gatewayRequestId) append(this.byRequest, parsed.gatewayRequestId, parsed);
  }

  /** The authorizer and handler invocations that served one API Gateway request. */
  forRequest(requestId: string): Invocation[] {
    return this.byRequest.get(requestId) ?? [];
  }
}
