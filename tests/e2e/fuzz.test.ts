import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);

/** `npm run fuzz` as an engineer types it, short and seeded: CI's share of the fuzzing (BENCHMARKS.md reports a long run). */
function fuzz(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'fuzz', '--', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('npm run fuzz', () => {
  it('sends 400 seeded hostile requests: none answered ≥ 500, all in the error shape with a request id, none refused that changed state', async () => {
    const run = await fuzz(['--requests', '400', '--seed', '2026']);
    expect(run.stdout, run.stderr).toContain('400 of 400 requests');
    expect(run.stdout).toContain('Responses ≥ 500: 0 (target 0)');
    expect(run.stdout).toMatch(/Refused requests \(4xx\): [1-9]\d*, of which changed state: 0/);
    expect(run.stdout).toContain('Findings: 0 (target 0)');
    // Refusals of every kind, and requests that got through: the run reached the handlers, not only the gateway.
    for (const status of [200, 400, 401, 403, 404, 413]) expect(run.stdout).toMatch(new RegExp(`\\| ${status} \\| \\d+ \\|`));
    expect(run.code).toBe(0);
  }, 300_000);

  it('refuses a bad option before starting anything', async () => {
    const run = await fuzz(['--requests', 'many']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--requests needs a whole number of at least 1.');
  });
});
