#!/usr/bin/env node
/**
 * The web apps' budgets, measured and printed beside their targets: the initial JavaScript and CSS each
 * app's page downloads (gzipped), and Lighthouse's mobile performance and accessibility scores of the
 * page a QR code opens, of the menu after joining and of the staff sign-in, against the local build
 * and the local stack. Exits 1
 * when a budget is missed. `--bundle-only` skips Lighthouse (no stack, no browser); `--no-build`
 * measures the build that is there (the browser tests build it once for all their files).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { freePort } from '../lib/local/dynamodb-local';
import { startLocalRuntime } from '../lib/local/runtime';
import { seedDemo } from '../lib/local/seed';
import { buildWebApps, distOf, serveWebApps } from '../lib/local/web-app';
import { WEB_APPS } from '../lib/web-apps';

const { values } = parseArgs({
  allowNegative: true,
  options: { 'bundle-only': { type: 'boolean', default: false }, build: { type: 'boolean', default: true }, chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' } },
});

interface Row {
  budget: string;
  measured: number;
  target: number;
  unit: string;
  /** `max`: the measured figure must not exceed the target; `min`: it must reach it. */
  kind: 'max' | 'min';
}
const rows: Row[] = [];

if (values.build) await buildWebApps();

// What each app's page loads before it can do anything: index.html's module script and what it preloads.
for (const { name, prefix } of WEB_APPS) {
  const html = readFileSync(join(distOf(name), 'index.html'), 'utf8');
  const initial = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\brel="(?:modulepreload|stylesheet)"[^>]*\bhref)="([^"]+)"/g)].map((match) => (match[1] as string).slice(prefix.length));
  const gzipped = (extension: string) =>
    initial.filter((file) => file.endsWith(extension)).reduce((sum, file) => sum + gzipSync(readFileSync(join(distOf(name), file)), { level: 9 }).length, 0) / 1024;
  rows.push({ budget: `${name} app: initial JS, gzipped`, measured: gzipped('.js'), target: 60, unit: 'KB', kind: 'max' });
  rows.push({ budget: `${name} app: initial CSS, gzipped`, measured: gzipped('.css'), target: 20, unit: 'KB', kind: 'max' });
}

if (!values['bundle-only']) {
  let urls = { apiUrl: '', webSocketUrl: '' };
  const app = await serveWebApps({ port: 0, config: () => urls });
  const runtime = await startLocalRuntime({
    restPort: 0,
    webSocketPort: 0,
    dynamoDbPort: await freePort(),
    inMemory: true,
    tableName: 'qr-ordering-budgets',
    overrides: { CORS_ORIGIN: app.url, GUEST_ORDERING_URL: `${app.url}/t`, POWERTOOLS_LOG_LEVEL: 'ERROR' },
    log: () => undefined,
  });
  urls = { apiUrl: runtime.restUrl, webSocketUrl: runtime.webSocketUrl };
  const profile = mkdtempSync(join(tmpdir(), 'budgets-chromium-'));
  const port = await freePort();
  // One Chromium: Playwright prepares the joined guest's storage, Lighthouse audits through its debugging port.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: values.chromium,
    args: [`--remote-debugging-port=${port}`, '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  try {
    const seed = await seedDemo();
    const scanUrl = (seed.tables[0] as { orderUrl: string }).orderUrl;
    const post = async (path: string, body: unknown, token?: string) => {
      const response = await fetch(`${runtime.restUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      return (await response.json()) as Record<string, string>;
    };
    const waiter = seed.logins.find((login) => login.role === 'WAITER') as { username: string; password: string };
    const { token: staffToken } = await post('/v1/staff/login', { restaurantId: seed.restaurantId, username: waiter.username, password: waiter.password });
    const tableCode = new URL(scanUrl).searchParams.get('t') as string;
    const tables = (await (await fetch(`${runtime.restUrl}/v1/restaurants/${seed.restaurantId}/tables`, { headers: { authorization: `Bearer ${staffToken}` } })).json()) as {
      tables: { tableId: string; tableCode: string }[];
    };
    const tableId = tables.tables.find((table) => table.tableCode === tableCode)?.tableId as string;
    const { pin } = await post(`/v1/restaurants/${seed.restaurantId}/tables/${tableId}/sessions`, { mode: 'FAMILY' }, staffToken);
    const joined = await post('/v1/sessions/join', { tableCode, pin, guestName: 'Budget' });

    /** Audits the scanned page with the storage `prepare` leaves, after checking the page shows `expected` with it. */
    const audit = async (label: string, expected: string, prepare: (page: Page) => Promise<void>, url = scanUrl) => {
      const page = await browser.newPage();
      await page.goto(`${app.url}/`);
      await prepare(page);
      await page.goto(url);
      await page.getByRole('heading', { name: expected }).waitFor({ timeout: 15_000 });
      await page.close();
      const result = await lighthouse(url, { port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'], disableStorageReset: true });
      const score = (category: string) => Math.round((result?.lhr.categories[category]?.score ?? 0) * 100);
      rows.push({ budget: `Lighthouse mobile performance, ${label}`, measured: score('performance'), target: 90, unit: '', kind: 'min' });
      rows.push({ budget: `Lighthouse mobile accessibility, ${label}`, measured: score('accessibility'), target: 95, unit: '', kind: 'min' });
    };
    await audit('the scanned page (PIN)', 'Demo Bistro · Table 1', (page) => page.evaluate(() => localStorage.clear()));
    await audit('the menu after joining', 'Menu', (page) =>
      page.evaluate(
        ([key, seat]) => localStorage.setItem(key as string, seat as string),
        [`seat:${tableCode}`, JSON.stringify({ token: joined.token, guestId: joined.guestId, resumeSecret: joined.resumeSecret, sessionId: joined.sessionId })],
      ),
    );
    await audit('the staff sign-in', 'Staff sign-in', (page) => page.evaluate(() => localStorage.clear()), `${app.url}/staff/`);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
    await runtime.close();
    await app.close();
  }
}

const passed = (row: Row) => (row.kind === 'max' ? row.measured <= row.target : row.measured >= row.target);
const width = Math.max(...rows.map((row) => row.budget.length));
console.log(`${'budget'.padEnd(width)}  ${'measured'.padStart(9)}  ${'target'.padStart(9)}`);
for (const row of rows) {
  const figure = (value: number) => `${row.unit === 'KB' ? value.toFixed(1) : String(value)}${row.unit ? ` ${row.unit}` : ''}`;
  console.log(`${row.budget.padEnd(width)}  ${figure(row.measured).padStart(9)}  ${`${row.kind === 'max' ? '≤' : '≥'} ${figure(row.target)}`.padStart(9)}  ${passed(row) ? 'ok' : 'MISSED'}`);
}
const missed = rows.filter((row) => !passed(row));
process.exit(missed.length > 0 ? 1 : 0);
