import { defineConfig } from 'vite';
import { webAppConfig } from '../app-config.ts';

/** The staff app: kitchen display, floor and back office, under /staff/. */
export default defineConfig(webAppConfig('staff', '/staff/'));
