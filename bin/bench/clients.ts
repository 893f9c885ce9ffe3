import WebSocket from 'ws';

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON from the wire */

export interface TimedResponse {
  status: number;
  body: any;
  requestId: string | null;
  startedAt: number;
  /** When the whole response had arrived (performance.now()). */
  endedAt: number;
}

/** One HTTP request over the machine's loopback, timed from before the request to the last byte of the answer. */
export async function timedCall(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; ip?: string; headers?: Record<string, string> } = {},
): Promise<TimedResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.ip) headers['x-forwarded-for'] = options.ip;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const startedAt = performance.now();
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  const endedAt = performance.now();
  return {
    status: response.status,
    body: text && response.headers.get('content-type')?.includes('application/json') ? JSON.parse(text) : text,
    requestId: response.headers.get('x-amzn-requestid'),
    startedAt,
    endedAt,
  };
}

/**
 * What a message tells a client, as keys the load generator expects: a cart version, an order
 * (placed, for guests and kitchens alike), a line reaching a status or a service request acknowledged.
 */
export function messageKeys(message: any): string[] {
  const { type, data } = message;
  if (type === 'cart.updated') return [`cart:${data.cart?.version}`];
  if (type === 'order.placed') return [`placed:${data.order.orderId}`];
  if (type === 'ticket.created') return [`placed:${data.ticket.orderId}`];
  if (type === 'order.updated') return data.lines.map((line: any) => `line:${data.orderId}:${line.lineId}:${line.status}`);
  if (type === 'ticket.updated') return data.ticket.lines.map((line: any) => `line:${data.ticket.orderId}:${line.lineId}:${line.status}`);
  if (type === 'service.acknowledged') return [`service:${data.requestId ?? data.request?.requestId}`];
  return [];
}

/** A real WebSocket client that notes when it first saw each key, and how many messages it got. */
export class BenchSocket {
  readonly firstSeen = new Map<string, number>();
  messages = 0;
  private waiters: (() => void)[] = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const now = performance.now();
      this.messages++;
      for (const key of messageKeys(JSON.parse(data.toString()))) if (!this.firstSeen.has(key)) this.firstSeen.set(key, now);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static open(url: string, token: string): Promise<BenchSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${url}/?token=${encodeURIComponent(token)}`);
      ws.once('open', () => resolve(new BenchSocket(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Resolves when every key has been seen, or when the deadline passes. */
  async waitForAll(keys: string[], deadline: number): Promise<void> {
    while (keys.some((key) => !this.firstSeen.has(key)) && performance.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - performance.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.ws.terminate();
  }
}
