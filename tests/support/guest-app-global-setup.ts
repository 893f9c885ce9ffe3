import { buildGuestApp } from '../../lib/local/web-app';

/** The browser project's files all serve one build of the guest app: built once, before any of them starts. */
export default async function setup() {
  await buildGuestApp();
}
