import { buildWebApps } from '../../lib/local/web-app';

/** The browser project's files all serve one build of the web apps: built once, before any of them starts. */
export default async function setup() {
  await buildWebApps();
}
