/// <reference lib="dom" />
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KITCHEN_RESYNC_MS, PING_AFTER_SILENT_MS } from '../../shared/contract/keepalive';
import { connectLive } from '../../web/common/socket';

/** The browser's WebSocket as the apps use it: what they sent, and the server's open and close. */
class FakeSocket {
  static readonly OPEN = 1;
  static readonly CLOSED = 3;
  static made: FakeSocket[] = [];
  readyState = 0;
  readonly sent: string[] = [];
  onopen?: () => void;
  onmessage?: (event: { data: string }) => void;
  onclose?: () => void;
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  send(text: string) {
    this.sent.push(text);
  }
  close() {
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.();
  }
  accept() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  actions() {
    return this.sent.map((text) => (JSON.parse(text) as { action: string }).action);
  }
}

let visibility: 'visible' | 'hidden' = 'visible';
const listeners = new Map<string, () => void>();
const latest = () => FakeSocket.made.at(-1) as FakeSocket;
const minutes = (n: number) => vi.advanceTimersByTime(n * 60_000);
const live = (options: Partial<Parameters<typeof connectLive>[2]> = {}) => connectLive('ws://test', 'token', { onMessage: () => undefined, onState: () => undefined, ...options });

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.made = [];
  visibility = 'visible';
  vi.stubGlobal('WebSocket', FakeSocket);
  vi.stubGlobal('document', {
    get visibilityState() {
      return visibility;
    },
    addEventListener: (type: string, listener: () => void) => listeners.set(`document:${type}`, listener),
    removeEventListener: () => undefined,
  });
  vi.stubGlobal('addEventListener', (type: string, listener: () => void) => listeners.set(type, listener));
  vi.stubGlobal('removeEventListener', () => undefined);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('keeping a socket open', () => {
  it('pings only after 5 minutes without sending anything', () => {
    const stop = live();
    latest().accept();
    expect(latest().actions()).toEqual(['sync']);
    vi.advanceTimersByTime(PING_AFTER_SILENT_MS - 1);
    expect(latest().actions()).toEqual(['sync']);
    vi.advanceTimersByTime(1);
    expect(latest().actions()).toEqual(['sync', 'ping']);
    minutes(20);
    expect(latest().actions().filter((action) => action === 'ping')).toHaveLength(5);
    stop();
  });

  it("never pings a kitchen screen: its syncs every 4 minutes are the socket's traffic", () => {
    const stop = live({ resyncMs: KITCHEN_RESYNC_MS, keepAliveWhileHidden: true });
    latest().accept();
    minutes(60);
    expect(latest().actions()).toEqual(Array.from({ length: 1 + 15 }, () => 'sync'));
    stop();
  });

  it('lets a hidden guest page go idle, and reconnects and syncs when it is shown again', () => {
    const stop = live();
    const first = latest();
    first.accept();
    visibility = 'hidden';
    minutes(12);
    expect(first.actions()).toEqual(['sync']);
    // API Gateway ends the idle socket: nothing reconnects in the background.
    first.close();
    minutes(5);
    expect(FakeSocket.made).toHaveLength(1);
    visibility = 'visible';
    listeners.get('document:visibilitychange')?.();
    expect(FakeSocket.made).toHaveLength(2);
    latest().accept();
    expect(latest().actions()).toEqual(['sync']);
    stop();
  });

  it('keeps a staff screen open while hidden, reconnecting when the server closes it', () => {
    const stop = live({ keepAliveWhileHidden: true });
    latest().accept();
    visibility = 'hidden';
    vi.advanceTimersByTime(PING_AFTER_SILENT_MS);
    expect(latest().actions()).toEqual(['sync', 'ping']);
    latest().close();
    vi.advanceTimersByTime(30_000);
    expect(FakeSocket.made).toHaveLength(2);
    stop();
  });
});
