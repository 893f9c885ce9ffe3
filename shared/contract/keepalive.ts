/**
 * How the apps keep their WebSocket open, one cadence for the apps, the benchmark's clients and the
 * cost model that prices it. API Gateway ends a connection after 10 idle minutes, and API.md asks
 * clients to send something at least every 5: a socket that has sent nothing for that long sends `ping`.
 */
export const PING_AFTER_SILENT_MS = 5 * 60_000;

/**
 * A kitchen screen also sends `sync` this often while live, so a message it missed (dead-lettered
 * after the fan-out's retries, which alarms) shows within this time. Those syncs keep its socket
 * open too, so it never pings: two frames every 4 minutes, as a ping and its pong would be.
 */
export const KITCHEN_RESYNC_MS = 4 * 60_000;
