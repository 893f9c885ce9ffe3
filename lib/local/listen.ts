import type { Server } from 'node:http';

export interface Listening {
  /** The port listened on: the one asked for, or the one the system gave for 0. */
  port: number;
  /** Ends open connections and stops listening. */
  close(): Promise<void>;
}

/** Starts one of the local stand-ins' HTTP servers, on 127.0.0.1 unless a host is given; a port in use is an error, not a hang. */
export async function listen(server: Server, port: number, host = '127.0.0.1'): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
