import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** The web apps' budgets script, as an engineer runs it (`npm run budgets`), on the build the browser tests share: every budget met. */
describe('the web apps\' budgets', () => {
  it('keeps each app\'s initial JS under 60 KB gzipped and Lighthouse mobile performance ≥ 90, accessibility ≥ 95', () => {
    const run = spawnSync('npm', ['run', '--silent', 'budgets', '--', '--no-build'], { cwd: new URL('../../', import.meta.url), encoding: 'utf8', timeout: 170_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const lines = run.stdout.split('\n').filter((line) => / (ok|MISSED)$/.test(line));
    expect(lines.map((line) => line.replace(/\s{2,}.*/, ''))).toEqual([
      'staff app: initial JS, gzipped',
      'staff app: initial CSS, gzipped',
      'guest app: initial JS, gzipped',
      'guest app: initial CSS, gzipped',
      'Lighthouse mobile performance, the scanned page (PIN)',
      'Lighthouse mobile accessibility, the scanned page (PIN)',
      'Lighthouse mobile performance, the menu after joining',
      'Lighthouse mobile accessibility, the menu after joining',
      'Lighthouse mobile performance, the staff sign-in',
      'Lighthouse mobile accessibility, the staff sign-in',
    ]);
    expect(lines.filter((line) => line.endsWith('MISSED'))).toEqual([]);
  }, 180_000);
});
