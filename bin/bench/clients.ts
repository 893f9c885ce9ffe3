import WebSocket from 'ws';
import { PING_AFTER_SILENT_MS } from '../../shared/contract/keepalive';

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON from the wire */

export interface TimedResponse {
  status: number;
  body: any;
  requestId: string | null;
  startedAt: number;
  /** When the whole response had arrived (performance.now()). */
  endedAt: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

/** How often requests had to be sent again, by why. */
export class RetryCounter {
  readonly reasons = new Map<string, number>();

  add(reason: string): void {
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }

  total(): number {
    return [...this.reasons.values()].reduce((sum, n) => sum + n, 0);
  }
}

/** What a client does again with the same request (same Idempotency-Key): the answer says "later", or there was no answer. */
function retryReason(outcome: TimedResponse | Error): string | undefined {
  if (outcome instanceof Error) return 'no answer (runtime restarting)';
  if (outcome.status === 503) return '503 UNAVAILABLE';
  // The function failed or ran out of time (API Gateway's 502/504): a person taps again.
  if (outcome.status === 502 || outcome.status === 504) return `${outcome.status} (the function failed or timed out)`;
  if (outcome.status === 409 && outcome.body?.error?.code === 'IDEMPOTENCY_IN_PROGRESS') return '409 IDEMPOTENCY_IN_PROGRESS';
  return undefined;
}

/**
 * Sends until the answer is final, as a well-behaved client does: after a 503 it waits the
 * Retry-After, after a 409 IDEMPOTENCY_IN_PROGRESS, a 502 or 504 or no answer at all a quarter
 * second, and sends the same request again, for up to two minutes. Timed from the first attempt to the final answer;
 * `attempts` says how many it took.
 */
export async function untilAnswered(send: () => Promise<TimedResponse>, retries: RetryCounter): Promise<TimedResponse & { attempts: number }> {
  const firstStarted = performance.now();
  const giveUp = firstStarted + 120_000;
  for (let attempts = 1; ; attempts++) {
    const outcome = await send().catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    const reason = retryReason(outcome);
    if (reason === undefined || performance.now() > giveUp) {
      if (outcome instanceof Error) throw outcome;
      return { ...outcome, startedAt: firstStarted, attempts };
    }
    retries.add(reason);
    const retryAfter = outcome instanceof Error ? 0 : Number(outcome.body?.error?.details?.retryAfterSeconds ?? 0);
    await pause(retryAfter > 0 ? Math.min(retryAfter, 5) * 1000 : 250);
  }
}

/** What a client knows of orders: order id → line id → status. */
export type OrdersView = Map<string, Map<string, string>>;

const linesOf = (lines: any[]) => new Map<string, string>(lines.map((line) => [line.lineId as string, line.status as string]));

/** A line's way through the kitchen: a message saying a line is at one status tells of the ones before it too. */
const LINE_STATUSES = ['HELD', 'QUEUED', 'IN_PROGRESS', 'READY', 'SERVED'];

/**
 * What a message tells a client, as keys the load generator expects: a cart version (and every
 * earlier one: the fan-out folds a cart's changes within a batch into the last), an order (placed,
 * for guests and kitchens alike), a line reaching a status (and the statuses before it, for the same
 * reason) or a service request acknowledged. A socket hears one cart, so versions need no cart id.
 */
export function messageKeys(message: any): string[] {
  const { type, data } = message;
  const lineKeys = (orderId: string, lines: any[]) =>
    lines.flatMap((line) => LINE_STATUSES.slice(0, LINE_STATUSES.indexOf(line.status) + 1).map((status) => `line:${orderId}:${line.lineId}:${status}`));
  if (type === 'cart.updated') return Array.from({ length: Number(data.cart?.version ?? 0) }, (_, v) => `cart:${v + 1}`);
  if (type === 'order.placed') return [`placed:${data.order.orderId}`, ...lineKeys(data.order.orderId, data.order.lines)];
  if (type === 'ticket.created') return [`placed:${data.ticket.orderId}`, ...lineKeys(data.ticket.orderId, data.ticket.lines)];
  if (type === 'order.updated') return lineKeys(data.orderId, data.lines);
  if (type === 'ticket.updated') return lineKeys(data.ticket.orderId, data.ticket.lines);
  if (type === 'service.acknowledged') return [`service:${data.requestId ?? data.request?.requestId}`];
  return [];
}

/**
 * A real WebSocket client that notes when it first saw each key and how many messages it got, keeps
 * the orders it was told of as a screen would (the last message about an order wins; a staff `sync`
 * replaces the screen with the active tickets), and, when the server closes it, reconnects with its
 * token and sends `sync`, as the apps do.
 */
export class BenchSocket {
  readonly firstSeen = new Map<string, number>();
  /** The orders as messages alone told them. */
  readonly heard: OrdersView = new Map();
  /** The orders after the last `sync`, then messages since. */
  readonly view: OrdersView = new Map();
  /** When the server dropped this socket and when it was back (performance.now()). */
  readonly outages: { from: number; to: number }[] = [];
  /** When any socket last received a message (performance.now()). */
  static lastMessageAt = 0;
  /** What API Gateway would bill this socket: every frame sent and received, per 32 KB. */
  billedMessages = 0;
  /** The snapshot of the `sync` sent on opening has arrived (or that sync gave up). */
  synced: Promise<void> = Promise.resolve();
  /** Closed by us, or its session closed: it does not reconnect. */
  private left = false;
  private waiters: (() => void)[] = [];
  private snapshotWaiters: ((data: any) => void)[] = [];
  private pongWaiters: (() => void)[] = [];

  /** A `ping` as often as the apps send one when silent, so API Gateway's 10 idle minutes never end the socket. */
  private readonly keepAlive = setInterval(() => {
    if (this.ws.readyState === WebSocket.OPEN) this.send({ action: 'ping' });
  }, PING_AFTER_SILENT_MS);

  private constructor(
    private ws: WebSocket,
    private readonly url: string,
    private readonly token: string,
  ) {
    this.keepAlive.unref();
    this.listen();
  }

  /**
   * Opens a socket and sends `sync`, as the apps do on every connect (its snapshot comes when it
   * comes); a handshake the server could not take now (5xx, or no server: a restart) is tried again
   * for up to two minutes.
   */
  static async open(url: string, token: string): Promise<BenchSocket> {
    const giveUp = performance.now() + 120_000;
    for (;;) {
      try {
        const socket = new BenchSocket(await connect(url, token), url, token);
        socket.synced = socket.sync().then(
          () => undefined,
          () => undefined,
        );
        return socket;
      } catch (error) {
        const refused = /handshake refused: (\d+)/.exec((error as Error).message);
        if ((refused && Number(refused[1]) < 500) || performance.now() > giveUp) throw error;
        await pause(250);
      }
    }
  }

  private listen(): void {
    // A socket the server dropped reports it as an error before it closes; the close is what matters.
    this.ws.on('error', () => undefined);
    this.ws.on('message', (data: Buffer) => this.receive(data.toString()));
    this.ws.once('close', () => {
      if (!this.left) void this.reconnect();
    });
  }

  /** Billed frames: one per 32 KB or part of it. */
  private static billed = (text: string) => Math.max(1, Math.ceil(Buffer.byteLength(text) / (32 * 1024)));

  private send(message: object): void {
    const text = JSON.stringify(message);
    this.billedMessages += BenchSocket.billed(text);
    this.ws.send(text);
  }

  private receive(text: string): void {
    const message = JSON.parse(text);
    const now = performance.now();
    BenchSocket.lastMessageAt = now;
    this.billedMessages += BenchSocket.billed(text);
    for (const key of messageKeys(message)) if (!this.firstSeen.has(key)) this.firstSeen.set(key, now);
    const { type, data } = message;
    const note = (orderId: string, lines: any[]) => {
      for (const view of [this.heard, this.view]) view.set(orderId, linesOf(lines));
    };
    // As the guest app leaves a closed session: the server closes the socket next, and it stays closed.
    if (type === 'session.closed') this.left = true;
    else if (type === 'order.placed') note(data.order.orderId, data.order.lines);
    else if (type === 'order.updated') note(data.orderId, data.lines);
    else if (type === 'ticket.created' || type === 'ticket.updated') note(data.ticket.orderId, data.ticket.lines);
    else if (type === 'snapshot') {
      if (data.tickets) this.view.clear();
      for (const order of data.orders ?? data.tickets ?? []) this.view.set(order.orderId, linesOf(order.lines));
      for (const resolve of this.snapshotWaiters.splice(0)) resolve(data);
    } else if (type === 'pong') for (const resolve of this.pongWaiters.splice(0)) resolve();
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Back after the server went away: a new handshake every quarter second for up to two minutes, then `sync`. */
  private async reconnect(): Promise<void> {
    const from = performance.now();
    while (!this.left && performance.now() - from < 120_000) {
      await pause(250);
      try {
        this.ws = await connect(this.url, this.token);
      } catch {
        continue;
      }
      this.listen();
      this.outages.push({ from, to: performance.now() });
      await this.sync().catch(() => undefined);
      return;
    }
  }

  /** Sends `ping` and resolves with the `pong`. */
  async ping(): Promise<void> {
    const pong = new Promise<void>((resolve) => this.pongWaiters.push(resolve));
    this.send({ action: 'ping' });
    await pong;
  }

  /** Sends `sync` and resolves with the snapshot (one a second at most: a refused one is sent again). */
  async sync(): Promise<any> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const snapshot = new Promise<any>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no snapshot within 10 s')), 10_000);
        this.snapshotWaiters.push((data) => {
          clearTimeout(timer);
          resolve(data);
        });
      });
      const refused = new Promise<'refused'>((resolve) => {
        const onMessage = (raw: Buffer) => {
          const message = JSON.parse(raw.toString());
          if (message.type === 'error' && message.data?.code === 'RATE_LIMITED') resolve('refused');
        };
        this.ws.on('message', onMessage);
        void snapshot.finally(() => this.ws.off('message', onMessage)).catch(() => undefined);
      });
      this.send({ action: 'sync' });
      const outcome = await Promise.race([snapshot, refused]);
      if (outcome !== 'refused') return outcome;
      await pause(1100);
    }
    throw new Error('sync refused five times');
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
    this.left = true;
    clearInterval(this.keepAlive);
    this.ws.terminate();
  }
}

function connect(url: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}/?token=${encodeURIComponent(token)}`);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}
