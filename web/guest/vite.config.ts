import { defineConfig } from 'vite';
import { webAppConfig } from '../app-config.ts';

/** The guest app: what a table's QR code opens, at the root of the site. */
export default defineConfig(webAppConfig('guest', '/'));
