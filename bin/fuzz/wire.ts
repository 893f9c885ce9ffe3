import { Agent, request } from 'node:http';

/** What came back for one request, read off the wire. */
export interface WireResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface WireRequest {
  method: string;
  /** Sent as is: percent-encodings, odd or not, are the request's own. */
  path: string;
  /** Name and value pairs in order; a name may repeat. */
  headers: [string, string][];
  body?: Buffer;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/**
 * One raw HTTP/1.1 request. Unlike fetch, it sends a header twice when asked to, leaves the path's
 * encoding alone and sends any bytes as the body.
 */
export function send(baseUrl: string, wire: WireRequest, timeoutMs = 30_000): Promise<WireResponse> {
  const base = new URL(baseUrl);
  // Raw header lists get no Host from Node: a client always sends one.
  const headers = [['Host', base.host], ...wire.headers].flat();
  if (wire.body) headers.push('Content-Length', String(wire.body.length));
  return new Promise((resolve, reject) => {
    const req = request({ host: base.hostname, port: base.port, method: wire.method, path: wire.path, headers, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(wire.body);
  });
}

/** A JSON request with a bearer token, as a well-behaved client sends it. */
export async function callJson(baseUrl: string, method: string, path: string, options: { token?: string; body?: unknown; ip: string; headers?: [string, string][] }) {
  const headers: [string, string][] = [['X-Forwarded-For', options.ip], ...(options.headers ?? [])];
  if (options.token) headers.push(['Authorization', `Bearer ${options.token}`]);
  if (options.body !== undefined) headers.push(['Content-Type', 'application/json']);
  const response = await send(baseUrl, { method, path, headers, body: options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body)) });
  const body = response.text ? (JSON.parse(response.text) as Record<string, unknown>) : {};
  return { status: response.status, body };
}

export const closeConnections = () => agent.destroy();
