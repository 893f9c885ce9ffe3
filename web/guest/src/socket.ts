/** A server message: `id` is unique per event, so duplicates (delivery is at least once) are dropped. */
export interface ServerMessage {
  type: string;
  id: string;
  data: unknown;
}

/**
 * The table's live connection as phones need it: reconnect with backoff whenever it closes (API
 * Gateway closes after 10 idle minutes and at 2 hours), `ping` every 4 minutes, `sync` after every
 * (re)connect, duplicate ids dropped. `onState` says whether it is live.
 */
export function connectLive(url: string, token: string, onMessage: (message: ServerMessage) => void, onState: (live: boolean) => void): () => void {
  const seen = new Set<string>();
  let socket: WebSocket | undefined;
  let attempt = 0;
  let stopped = false;
  let ping: ReturnType<typeof setInterval> | undefined;

  const open = () => {
    socket = new WebSocket(`${url}?token=${encodeURIComponent(token)}`);
    socket.onopen = () => {
      attempt = 0;
      onState(true);
      socket?.send(JSON.stringify({ action: 'sync' }));
      ping = setInterval(() => socket?.send(JSON.stringify({ action: 'ping' })), 4 * 60_000);
    };
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as ServerMessage;
      if (seen.has(message.id)) return;
      seen.add(message.id);
      onMessage(message);
    };
    socket.onclose = () => {
      clearInterval(ping);
      onState(false);
      if (stopped) return;
      attempt += 1;
      setTimeout(open, Math.min(30_000, 500 * 2 ** attempt));
    };
  };
  open();
  return () => {
    stopped = true;
    socket?.close();
  };
}
