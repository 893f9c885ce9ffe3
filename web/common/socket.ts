import { PING_AFTER_SILENT_MS } from '../../shared/contract/keepalive';

/** Message ids remembered for dropping duplicates (redeliveries come within moments, not hours). */
const REMEMBERED_IDS = 500;
/** Reconnect delays grow to this, with jitter, so a restaurant's phones do not all come back at once. */
const MAX_BACKOFF_MS = 30_000;

export interface LiveOptions<Message> {
  onMessage: (message: Message) => void;
  /** Whether the socket is live, each time that changes. */
  onState: (live: boolean) => void;
  /** What to send first on every (re)connect, before `sync` (a kitchen screen's `subscribe`). */
  greeting?: () => object | undefined;
  /** Also `sync` this often while connected, as a check that nothing was missed (kitchen screens). */
  resyncMs?: number;
  /**
   * Keep the socket open while the page is hidden (staff screens that must hear every ticket). Without
   * it, a hidden page stops pinging: API Gateway ends the idle socket, and the app reconnects and
   * syncs when it is shown again, so a phone in a pocket costs neither messages nor connection minutes.
   */
  keepAliveWhileHidden?: boolean;
  /** The longest wait between reconnect attempts (30 s unless said: a kitchen screen on mains power waits less). */
  maxBackoffMs?: number;
}

/**
 * A live connection as phones and kitchen screens need it: reconnect with backoff whenever it closes
 * (API Gateway closes after 10 idle minutes and at 2 hours; phones sleep and change networks), `ping`
 * after 5 minutes without sending anything, `sync` after every (re)connect, duplicate ids dropped
 * (delivery is at least once). Returns the function that stops it for good.
 */
export function connectLive<Message extends { id: string }>(url: string, token: string, options: LiveOptions<Message>): () => void {
  const { onMessage, onState } = options;
  const seen = new Set<string>();
  let socket: WebSocket | undefined;
  let attempt = 0;
  let stopped = false;
  let silence: ReturnType<typeof setTimeout> | undefined;
  let resync: ReturnType<typeof setInterval> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const open = () => {
    const current = new WebSocket(`${url}?token=${encodeURIComponent(token)}`);
    socket = current;
    const visible = () => options.keepAliveWhileHidden === true || document.visibilityState === 'visible';
    /** Every message sent is traffic that keeps the socket open: the keep-alive waits for 5 silent minutes again. */
    const send = (message: object) => {
      current.send(JSON.stringify(message));
      clearTimeout(silence);
      silence = setTimeout(keepAlive, PING_AFTER_SILENT_MS);
    };
    const keepAlive = () => {
      if (visible()) send({ action: 'ping' });
      else silence = setTimeout(keepAlive, PING_AFTER_SILENT_MS);
    };
    current.onopen = () => {
      attempt = 0;
      onState(true);
      const greeting = options.greeting?.();
      if (greeting) send(greeting);
      send({ action: 'sync' });
      if (options.resyncMs) resync = setInterval(() => send({ action: 'sync' }), options.resyncMs);
    };
    current.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as Message;
      if (seen.has(message.id)) return;
      seen.add(message.id);
      if (seen.size > REMEMBERED_IDS) seen.delete(seen.values().next().value as string);
      onMessage(message);
    };
    current.onclose = () => {
      clearTimeout(silence);
      clearInterval(resync);
      onState(false);
      // A hidden page comes back when it is shown (wake), not in the background.
      if (stopped || !visible()) return;
      attempt += 1;
      const delay = Math.min(options.maxBackoffMs ?? MAX_BACKOFF_MS, 500 * 2 ** attempt);
      retry = setTimeout(open, delay / 2 + Math.random() * (delay / 2));
    };
  };
  // A phone that wakes up or gets its network back reconnects now rather than at the end of its backoff.
  const wake = () => {
    if (stopped || document.visibilityState !== 'visible' || socket?.readyState !== WebSocket.CLOSED) return;
    clearTimeout(retry);
    open();
  };
  addEventListener('online', wake);
  document.addEventListener('visibilitychange', wake);
  open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    removeEventListener('online', wake);
    document.removeEventListener('visibilitychange', wake);
    socket?.close();
  };
}
