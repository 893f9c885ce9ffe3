/** One `invocation` line of the local runtime (lib/local/lambda-context.ts): a handler call, like Lambda's REPORT. */
export interface Invocation {
  function: string;
  gatewayRequestId?: string;
  durationMs: number;
  error: boolean;
  dynamoDbCalls: { operation: string; capacityUnits: number }[];
  readCapacityUnits: number;
  writeCapacityUnits: number;
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
    if (parsed.gatewayRequestId) (this.byRequest.get(parsed.gatewayRequestId) ?? this.byRequest.set(parsed.gatewayRequestId, []).get(parsed.gatewayRequestId))?.push(parsed);
  }

  /** The authorizer and handler invocations that served one API Gateway request. */
  forRequest(requestId: string): Invocation[] {
    return this.byRequest.get(requestId) ?? [];
  }
}
