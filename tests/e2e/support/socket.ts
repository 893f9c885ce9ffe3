import WebSocket from 'ws';

/* eslint-disable @typescript-eslint/no-explicit-any -- messages are JSON from the wire, asserted by each test */

/** A real WebSocket client that records every message it receives. */
export class TestSocket {
  readonly messages: any[] = [];
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()));
      for (const wake of this.waiters.splice(0)) wake();
    });
    ws.on('close', () => {
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Opens a socket; rejects with the HTTP status when the handshake is refused. */
  static open(url: string, token: string, via: 'query' | 'header' = 'query'): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const ws =
        via === 'query'
          ? new WebSocket(`${url}/?token=${encodeURIComponent(token)}`)
          : new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
      ws.once('open', () => resolve(new TestSocket(ws)));
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`handshake refused: ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
    });
  }

  send(message: unknown) {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message (already received or arriving within the timeout) that matches. */
  async waitFor(predicate: (message: any) => boolean, timeoutMs = 8000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages.map((m) => m.type))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends a request and waits for the reply of the given type. */
  async request(message: unknown, replyType: string): Promise<any> {
    const before = this.messages.length;
    this.send(message);
    return this.waitFor((m) => m.type === replyType && this.messages.indexOf(m) >= before);
  }

  closed(timeoutMs = 8000): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('socket still open')), timeoutMs);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  close() {
    this.ws.terminate();
  }
}
