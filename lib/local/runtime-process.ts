import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const KEPT_OUTPUT = 8 * 2 ** 20;

export interface RuntimeProcess {
  url: string;
  webSocketUrl: string;
  /** The process's resident memory now, in MiB (from /proc; NaN where there is none). */
  residentMb(): number;
  /** The CPU time the process (every thread: gateways, function instances) has used so far, in clock ticks (from /proc; NaN where there is none). */
  cpuTicks(): number;
  /** What the runtime and its handlers printed so far (stdout and stderr; the newest 8 MB of it in a long run). */
  logs(): string;
  stop(): Promise<void>;
}

/**
 * Starts `bin/local.ts` (what `npm start` runs) as a child process against an already running
 * DynamoDB Local, on free ports, trusting X-Forwarded-For so one machine can play many clients.
 * `onLine` sees each line the runtime prints, as it comes.
 */
export async function spawnRuntime(options: {
  dynamoDbEndpoint: string;
  tableName: string;
  overrides?: Record<string, string>;
  /** More `npm start` options, e.g. `--ttl-sweep-seconds 1`. */
  args?: string[];
  onLine?: (line: string) => void;
}): Promise<RuntimeProcess> {
  const child = spawn(
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
      options.dynamoDbEndpoint,
      '--table-name',
      options.tableName,
      '--trust-forwarded-for',
      // Tests that need the guest app serve it themselves: parallel runtimes must not build it at once.
      '--no-web',
      ...Object.entries(options.overrides ?? {}).flatMap(([name, value]) => ['--set', `${name}=${value}`]),
      ...(options.args ?? []),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  let partial = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    // A long run (a soak) prints more than a string holds: keep the newest 8 MB.
    if (output.length > KEPT_OUTPUT) output = output.slice(-KEPT_OUTPUT / 2);
    if (!options.onLine) return;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) options.onLine(line);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  const [url, webSocketUrl] = await new Promise<[string, string]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local runtime did not start:\n${output}`)), 45_000);
    child.stdout.on('data', () => {
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
    residentMb: () => {
      try {
        const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        return kb === undefined ? Number.NaN : Number(kb) / 1024;
      } catch {
        return Number.NaN;
      }
    },
    cpuTicks: () => processCpuTicks(child.pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A process's user and system time in clock ticks, fields 14 and 15 of `/proc/<pid>/stat` (NaN where there is none). */
export function processCpuTicks(pid: number | 'self' | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name, which may hold spaces, start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return Number.NaN;
  }
}
