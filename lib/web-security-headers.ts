import { WEB_APPS } from './web-apps';

/**
 * The security headers the web apps are served with: by CloudFront's response headers policy when
 * deployed and by the local server with `npm start`, so a page that breaks its own policy (an inline
 * script, a call to an origin it does not name) breaks locally first.
 */

/** The Content-Security-Policy: the app's own files only; it may talk to `connectSources` (the API and WebSocket API). */
export const contentSecurityPolicy = (connectSources: string[]): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${connectSources.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

/** What else every answer carries (HSTS is CloudFront's alone: the local server speaks plain HTTP). */
export const FIXED_SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
} as const;

/** How long browsers keep to HTTPS for the deployed apps (two years, as the HSTS preload list asks). */
export const HSTS_SECONDS = 2 * 365 * 24 * 3600;

/**
 * A path without a file extension is one of an app's pages (`/t?t=…`, `/staff/kitchen`): that app's
 * shell answers it. Apps are tried in `WEB_APPS` order (the root app last).
 */
export const SPA_ROUTING_FUNCTION = `function handler(event) {
  var request = event.request;
  if (/\\.[A-Za-z0-9]+$/.test(request.uri)) return request;
  var prefixes = ${JSON.stringify(WEB_APPS.map((app) => app.prefix))};
  for (var i = 0; i < prefixes.length; i++) {
    if ((request.uri + '/').indexOf(prefixes[i]) === 0) {
      request.uri = prefixes[i] + 'index.html';
      return request;
    }
  }
  return request;
}`;
