import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { listen } from './listen';
import { WEB_APPS, appOf } from '../web-apps';
import { FIXED_SECURITY_HEADERS, contentSecurityPolicy } from '../web-security-headers';

const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));
/** Where Vite builds an app (`web/<app>/dist`). */
export const distOf = (app: string) => join(WEB_ROOT, app, 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Builds every web app exactly as a deployment does (web/<app>/vite.config.ts) into web/<app>/dist. */
export async function buildWebApps(): Promise<void> {
  // Vite builds dependencies as NODE_ENV says: under a test runner (NODE_ENV=test) that would ship Preact's debug build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    for (const app of WEB_APPS) await build({ configFile: join(WEB_ROOT, app.name, 'vite.config.ts'), mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

export interface WebAppServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the built apps as CloudFront does: each app's files under its prefix, its `index.html` for
 * any other path of it (the QR code's `/t?t=…` is the guest app's, `/staff/…` the staff app's),
 * `/config.json` naming this runtime's API and WebSocket API, and the deployed security headers (the
 * Content-Security-Policy naming those APIs).
 */
export async function serveWebApps(options: {
  port: number;
  host?: string;
  /** `/config.json` for a browser that reached this server by `requestHost` (the Host header). */
  config: (requestHost: string | undefined) => { apiUrl: string; webSocketUrl: string };
}): Promise<WebAppServer> {
  for (const app of WEB_APPS) if (!existsSync(join(distOf(app.name), 'index.html'))) throw new Error(`The ${app.name} app is not built: run buildWebApps() first.`);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const config = options.config(req.headers.host);
    // The headers CloudFront adds when deployed, the page allowed to call only this runtime's APIs.
    for (const [name, value] of Object.entries(FIXED_SECURITY_HEADERS)) res.setHeader(name, value);
    const apiOrigins = [config.apiUrl, config.webSocketUrl].filter(Boolean).map((url) => new URL(url).origin);
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(apiOrigins));
    if (path === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' });
      return res.end(JSON.stringify(config));
    }
    // A file by its path; any other path (the app's own, like /t) is the app. A path that is not valid percent-encoding is the client's mistake.
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' });
      return res.end('Bad path');
    }
    const app = appOf(decoded);
    const dist = distOf(app.name);
    const asked = normalize(join(dist, decoded.slice(app.prefix.length - 1)));
    const file = asked.startsWith(dist) && extname(asked) !== '' ? asked : join(dist, 'index.html');
    void readFile(file).then(
      (body) => {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        res.end(body);
      },
      () => {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('Not found');
      },
    );
  });
  const listening = await listen(server, options.port, options.host);
  return { url: `http://localhost:${listening.port}`, close: listening.close };
}
