/**
 * The browser apps and where the site serves them: the guest app at the root (QR codes open its
 * `/t`), the staff app under `/staff/`. The local server, the CloudFront routing function and the
 * deployment all read this list; a path belongs to the first app whose prefix it starts with.
 */
export const WEB_APPS = [
  { name: 'staff', prefix: '/staff/' },
  { name: 'guest', prefix: '/' },
] as const;
export type WebApp = (typeof WEB_APPS)[number];

/** The app a path belongs to (`/staff` itself is the staff app's). */
export const appOf = (path: string): WebApp => WEB_APPS.find((app) => `${path}/`.startsWith(app.prefix)) ?? WEB_APPS[WEB_APPS.length - 1]!;
