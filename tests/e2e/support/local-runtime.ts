import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { inject } from 'vitest';

const root = new URL('../../../', import.meta.url);

export interface RunningRuntime {
  url: string;
  webSocketUrl: string;
  /** Everything the runtime and its handlers printed so far (stdout and stderr). */
  logs(): string;
  stop(): Promise<void>;
}

/**
 * Starts `bin/local.ts` (what `npm start` runs) as a child process against the harness's DynamoDB
 * Local, on a free port, and captures its output so tests can inspect the logs.
 */
export async function startRuntime(overrides: Record<string, string> = {}): Promise<RunningRuntime> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bin/local.ts',
      '--port',
      '0',
      '--ws-port',
      '0',
      '--dynamodb-endpoint',
      inject('dynamoDbEndpoint'),
      '--table-name',
      inject('tableName'),
      '--trust-forwarded-for',
      ...Object.entries(overrides).flatMap(([name, value]) => ['--set', `${name}=${value}`]),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const [url, webSocketUrl] = await new Promise<[string, string]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local runtime did not start:\n${output}`)), 45_000);
    child.stdout?.on('data', () => {
      const rest = /REST API: (http:\/\/\S+)/.exec(output)?.[1];
      const webSocket = /WebSocket API: (ws:\/\/\S+)/.exec(output)?.[1];
      if (rest && webSocket) {
        clearTimeout(timer);
        resolve([rest.replace('localhost', '127.0.0.1'), webSocket.replace('localhost', '127.0.0.1')]);
      }
    });
    child.once('exit', (code) => reject(new Error(`local runtime exited with ${code}:\n${output}`)));
  });

  return {
    url,
    webSocketUrl,
    logs: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
