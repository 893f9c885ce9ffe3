import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalFunction } from './function-host';
import { listen } from './listen';

/** A one-time schedule as the local scheduler keeps it. */
interface Schedule {
  group: string;
  name: string;
  /** Epoch milliseconds. */
  at: number;
  targetArn: string;
  input: unknown;
  retries: number;
}

export interface LocalScheduler {
  endpoint: string;
  close(): Promise<void>;
}

/** How far apart the local scheduler retries a failed target: 1, 2, 4, … seconds. */
const RETRY_BASE_MS = 1000;
/** Fewer than EventBridge's: locally a failing target is a bug to see, not an outage to ride out. */
const MAX_LOCAL_RETRIES = 3;

/**
 * The local stand-in for EventBridge Scheduler's one-time schedules (`at(…)` in UTC): the part of its
 * REST API the SDK's CreateSchedule and DeleteSchedule speak, a check every second that invokes due
 * targets (local functions, by ARN) with their input, retries with back-off, and deletion after the
 * run as `ActionAfterCompletion: DELETE` asks. With a state file, schedules outlive a restart; one
 * that fell due while the runtime was down runs when it starts.
 */
export async function startLocalScheduler(options: {
  target: (arn: string) => LocalFunction | undefined;
  stateFile?: string;
  log: (line: Record<string, unknown>) => void;
}): Promise<LocalScheduler> {
  const schedules = new Map<string, Schedule>();
  const keyOf = (group: string, name: string) => `${group}/${name}`;
  if (options.stateFile && existsSync(options.stateFile)) {
    for (const schedule of JSON.parse(readFileSync(options.stateFile, 'utf8')) as Schedule[]) schedules.set(keyOf(schedule.group, schedule.name), schedule);
  }
  const save = () => options.stateFile && writeFileSync(options.stateFile, JSON.stringify([...schedules.values()], null, 1));

  async function run(schedule: Schedule) {
    const fn = options.target(schedule.targetArn);
    for (let attempt = 0; fn; attempt++) {
      try {
        await fn.invoke(schedule.input);
        options.log({ message: 'schedule ran', schedule: schedule.name, attempt });
        return;
      } catch (error) {
        if (attempt >= Math.min(schedule.retries, MAX_LOCAL_RETRIES)) {
          options.log({ level: 'ERROR', message: 'schedule gave up', schedule: schedule.name, error: (error as Error).message });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_BASE_MS * 2 ** attempt));
      }
    }
  }

  const clock = setInterval(() => {
    for (const [key, schedule] of schedules) {
      if (schedule.at > Date.now()) continue;
      schedules.delete(key);
      save();
      void run(schedule);
    }
  }, 1000);

  async function api(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = /^\/schedules\/([^/]+)$/.exec(url.pathname);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const reply = (status: number, body: unknown, errorType?: string) => {
      res.writeHead(status, { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
      res.end(JSON.stringify(body));
    };
    if (!match) return reply(404, { Message: 'Not found' }, 'ResourceNotFoundException');
    const name = decodeURIComponent(match[1] as string);
    if (req.method === 'DELETE') {
      const key = keyOf(url.searchParams.get('groupName') ?? 'default', name);
      if (!schedules.delete(key)) return reply(404, { Message: `Schedule ${name} does not exist.` }, 'ResourceNotFoundException');
      save();
      return reply(200, {});
    }
    if (req.method !== 'POST') return reply(405, { Message: 'Only CreateSchedule and DeleteSchedule are emulated.' }, 'ValidationException');
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      GroupName?: string;
      ScheduleExpression?: string;
      ScheduleExpressionTimezone?: string;
      Target?: { Arn?: string; Input?: string; RetryPolicy?: { MaximumRetryAttempts?: number } };
    };
    const at = /^at\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\)$/.exec(body.ScheduleExpression ?? '');
    if (!at || (body.ScheduleExpressionTimezone ?? 'UTC') !== 'UTC') return reply(400, { Message: 'Only one-time schedules, at(yyyy-mm-ddThh:mm:ss) in UTC, are emulated.' }, 'ValidationException');
    if (!body.Target?.Arn || !options.target(body.Target.Arn)) return reply(400, { Message: `No local function has the ARN ${body.Target?.Arn}.` }, 'ValidationException');
    const group = body.GroupName ?? 'default';
    const key = keyOf(group, name);
    if (schedules.has(key)) return reply(409, { Message: `Schedule ${name} already exists.` }, 'ConflictException');
    schedules.set(key, {
      group,
      name,
      at: Date.parse(`${at[1]}Z`),
      targetArn: body.Target.Arn,
      input: body.Target.Input === undefined ? {} : JSON.parse(body.Target.Input),
      retries: body.Target.RetryPolicy?.MaximumRetryAttempts ?? 185,
    });
    save();
    return reply(200, { ScheduleArn: `arn:aws:scheduler:local:000000000000:schedule/${group}/${name}` });
  }

  const server = createServer((req, res) => {
    api(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(400, { 'x-amzn-errortype': 'ValidationException' }).end('{}');
    });
  });
  const listening = await listen(server, 0);
  return {
    endpoint: `http://127.0.0.1:${listening.port}`,
    close: async () => {
      clearInterval(clock);
      await listening.close();
    },
  };
}
