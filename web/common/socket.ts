/** How often an idle phone pings: API Gateway closes a connection after 10 idle minutes. */
const PING_MS = 4 * 60_000;
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
  /** The longest wait between reconnect attempts (30 s unless said: a kitchen screen on mains power waits less). */
  maxBackoffMs?: number;
}

/**
 * A live connection as phones and kitchen screens need it: reconnect with backoff whenever it closes
 * (API Gateway closes after 10 idle minutes and at 2 hours; phones sleep and change networks), `ping`
 * every 4 minutes, `sync` after every (re)connect, duplicate ids dropped (delivery is at least once).
 * Returns the function that stops it for good.
 */
export function connectLive<Message extends { id: string }>(url: string, token: string, options: LiveOptions<Message>): () => void {
  const { onMessage, onState } = options;
  const seen = new Set<string>();
  let socket: WebSocket | undefined;
  let attempt = 0;
  let stopped = false;
  let ping: ReturnType<typeof setInterval> | undefined;
  let resync: ReturnType<typeof setInterval> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const open = () => {
    const current = new WebSocket(`${url}?token=${encodeURIComponent(token)}`);
    socket = current;
    current.onopen = () => {
      attempt = 0;
      onState(true);
      const greeting = options.greeting?.();
      if (greeting) current.send(JSON.stringify(greeting));
      current.send(JSON.stringify({ action: 'sync' }));
      ping = setInterval(() => current.send(JSON.stringify({ action: 'ping' })), PING_MS);
      if (options.resyncMs) resync = setInterval(() => current.send(JSON.stringify({ action: 'sync' })), options.resyncMs);
    };
    current.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as Message;
      if (seen.has(message.id)) return;
      seen.add(message.id);
      if (seen.size > REMEMBERED_IDS) seen.delete(seen.values().next().value as string);
      onMessage(message);
    };
    current.onclose = () => {
      clearInterval(ping);
      clearInterval(resync);
      onState(false);
      if (stopped) return;
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
