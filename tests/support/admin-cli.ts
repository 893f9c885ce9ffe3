import { spawn } from 'node:child_process';
import { inject } from 'vitest';
import { TEST_PASSWORD_COST } from './password-cost';

const root = new URL('../../', import.meta.url);

/** Runs `npm run admin -- <args>` (the README's command) against the harness's DynamoDB Local. */
export function runAdmin(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'admin', '--', ...args], {
      cwd: root,
      env: { ...process.env, DYNAMODB_ENDPOINT: inject('dynamoDbEndpoint'), TABLE_NAME: inject('tableName'), ...TEST_PASSWORD_COST, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end(options.stdin ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
