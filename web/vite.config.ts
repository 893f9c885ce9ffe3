import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The guest app: what a table's QR code opens. Built to web/guest/dist; its API and WebSocket URLs come from /config.json at run time. */
export default defineConfig({
  root: fileURLToPath(new URL('./guest', import.meta.url)),
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  logLevel: 'warn',
});
