import type { GuestMessage } from '../../../shared/contract/messages';

/** How often an idle phone pings: API Gateway closes a connection after 10 idle minutes. */
const PING_MS = 4 * 60_000;
/** Message ids remembered for dropping duplicates (redeliveries come within moments, not hours). */
const REMEMBERED_IDS = 500;
/** Reconnect delays grow to this, with jitter, so a restaurant's phones do not all come back at once. */
const MAX_BACKOFF_MS = 30_000;

/**
 * The table's live connection as phones need it: reconnect with backoff whenever it closes (API
 * Gateway closes after 10 idle minutes and at 2 hours; phones sleep and change networks), `ping`
 * every 4 minutes, `sync` after every (re)connect, duplicate ids dropped (delivery is at least
 * once). `onState` says whether it is live. Returns the function that stops it for good.
 */
export function connectLive(url: string, token: string, onMessage: (message: GuestMessage) => void, onState: (live: boolean) => void): () => void {
  const seen = new Set<string>();
  let socket: WebSocket | undefined;
  let attempt = 0;
  let stopped = false;
  let ping: ReturnType<typeof setInterval> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const open = () => {
    const current = new WebSocket(`${url}?token=${encodeURIComponent(token)}`);
    socket = current;
    current.onopen = () => {
      attempt = 0;
      onState(true);
      current.send(JSON.stringify({ action: 'sync' }));
      ping = setInterval(() => current.send(JSON.stringify({ action: 'ping' })), PING_MS);
    };
    current.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as GuestMessage;
      if (seen.has(message.id)) return;
      seen.add(message.id);
      if (seen.size > REMEMBERED_IDS) seen.delete(seen.values().next().value as string);
      onMessage(message);
    };
    current.onclose = () => {
      clearInterval(ping);
      onState(false);
      if (stopped) return;
      attempt += 1;
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt);
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
