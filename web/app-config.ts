import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import type { UserConfig } from 'vite';

/**
 * One web app's Vite build, the same for every app: Preact, ES2022, built into `web/<app>/dist`.
 * `base` is where the app is served from (the guest app at the root, the staff app under /staff/),
 * locally and on the stage's distribution alike.
 */
export const webAppConfig = (app: 'guest' | 'staff', base: string): UserConfig => ({
  root: fileURLToPath(new URL(`./${app}`, import.meta.url)),
  base,
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  logLevel: 'warn',
});
