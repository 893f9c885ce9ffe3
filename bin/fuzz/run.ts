import fc from 'fast-check';
import { gatewayErrors } from '../../shared/http/gateway-errors';
import { ChangeWatcher, mayChangeOnRefusal } from './changes';
import type { ItemChange } from './changes';
import { fuzzRequests, operationsOf, toWire } from './requests';
import type { FuzzRequest, Operation } from './requests';
import { closeConnections, send } from './wire';
import type { WireRequest, WireResponse } from './wire';
import { World } from './world';

export interface FuzzOptions {
  apiUrl: string;
  /** The DynamoDB Local behind the API, whose stream shows what each request changed. */
  dynamoDbEndpoint: string;
  tableName: string;
  requests: number;
  seed: number;
  /** Stop sending after this long, whatever is left. */
  maxSeconds: number;
  /** New staff logins, table, session, guests and order every this many requests (fuzzed requests revoke and close them). */
  refreshEvery: number;
  progress: (line: string) => void;
}

export interface Finding {
  index: number;
  label: string;
  method: string;
  path: string;
  status: number;
  problem: string;
  answer: string;
}

export interface FuzzReport {
  seed: number;
  sent: number;
  seconds: number;
  byStatus: Map<number, number>;
  /** Requests refused (4xx) and what they changed (nothing, or only what refusals record by design). */
  refused: number;
  findings: Finding[];
  /** Seconds spent waiting for answers, reading the stream, and setting fixtures up. */
  spent: { answers: number; stream: number; setUp: number };
}

/** Bytes that are no UTF-8: 0xFF, 0xFE and 0xC3 before a byte that cannot follow it. */
const isNotUtf8 = (body: FuzzRequest['body']) => Boolean(body && 'bytes' in body && !Buffer.from(body.bytes).equals(Buffer.from(Buffer.from(body.bytes).toString('utf8'))));

/** What is wrong with one answer, if anything. */
export function problemsOf(request: FuzzRequest, operation: Operation | undefined, response: WireResponse, changes: ItemChange[]): string[] {
  const problems: string[] = [];
  const { status } = response;
  if (status >= 500) problems.push(`answered ${status}`);
  const requestId = response.headers['x-request-id'];
  // A CORS preflight is API Gateway's own mock answer: its request id is the gateway's header.
  const preflight = request.method === 'OPTIONS' && status === 204;
  if (!requestId && !(preflight && response.headers['x-amzn-requestid'])) problems.push('no X-Request-Id header');
  if (status >= 400 && request.method !== 'HEAD') {
    let error: { code?: unknown; message?: unknown; requestId?: unknown; details?: unknown } | undefined;
    try {
      error = (JSON.parse(response.text) as { error?: typeof error }).error;
    } catch {
      error = undefined;
    }
    if (typeof error?.code !== 'string' || typeof error.message !== 'string' || typeof error.details !== 'object') problems.push('error not in the contract shape');
    else if (error.requestId !== requestId) problems.push('error requestId differs from X-Request-Id');
    else if (operation && !operation.errors.has(status)) problems.push(`status ${status} not declared for the operation`);
    else if (operation && !(operation.errors.get(status) ?? [error.code]).includes(error.code)) problems.push(`${status} ${error.code} not declared for the operation`);
  }
  if (status >= 400) {
    const changed = changes.filter((change) => !mayChangeOnRefusal(change));
    if (changed.length > 0) problems.push(`refused, yet changed ${changed.map((change) => `${change.pk} ${change.sk}`).join(', ')}`);
  }
  // Refused before the token matters: a path that matches no route, headers past the gateway's limit.
  const refusedEarlier = status === 413 || (status === 404 && response.text.includes(gatewayErrors.MISSING_AUTHENTICATION_TOKEN.message));
  if (request.auth.length > 1 && operation?.authenticated && status !== 401 && !refusedEarlier) problems.push(`two Authorization headers answered ${status}, not 401`);
  if (isNotUtf8(request.body) && status < 400) problems.push(`a body that is no UTF-8 answered ${status}`);
  return problems;
}

/**
 * Sends `requests` generated requests (seeded: the same seed sends the same requests) one at a time
 * against a running stack, checks every answer, and reads the table's stream after each to see what it
 * changed. Findings are what a client or an attacker could exploit or trip over.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const doc = JSON.parse((await send(options.apiUrl, { method: 'GET', path: '/v1/openapi.json', headers: [] })).text) as Record<string, unknown>;
  const operations = operationsOf(doc);
  const byLabel = new Map(operations.map((operation) => [operation.id, operation]));
  options.progress(`${operations.length} operations in the served document; setting up two restaurants`);
  const world = new World(options.apiUrl);
  await world.create();
  const watcher = new ChangeWatcher(options.dynamoDbEndpoint, options.tableName);
  await watcher.start();

  const report: FuzzReport = { seed: options.seed, sent: 0, seconds: 0, byStatus: new Map(), refused: 0, findings: [], spent: { answers: 0, stream: 0, setUp: 0 } };
  const timed = async <T>(part: keyof FuzzReport['spent'], work: () => Promise<T>): Promise<T> => {
    const began = performance.now();
    try {
      return await work();
    } finally {
      report.spent[part] += (performance.now() - began) / 1000;
    }
  };
  const requests = fuzzRequests(operations, doc);
  const CHUNK = 200;
  try {
    generation: for (let first = 0; first < options.requests; first += CHUNK) {
      const chunk = fc.sample(requests, { seed: options.seed + first, numRuns: Math.min(CHUNK, options.requests - first) });
      for (const [offset, request] of chunk.entries()) {
        const index = first + offset;
        if ((performance.now() - started) / 1000 > options.maxSeconds) {
          options.progress(`stopping at the time limit (${options.maxSeconds} s)`);
          break generation;
        }
        if (index > 0 && index % options.refreshEvery === 0) {
          await timed('setUp', () => world.refresh());
          options.progress(`${index} requests sent, ${report.findings.length} findings`);
        }
        await timed('stream', () => watcher.changesSinceLastRead());
        const wire: WireRequest = toWire(request, world);
        const finding = (status: number, problem: string, answer = '') =>
          report.findings.push({ index, label: request.label, method: wire.method, path: wire.path.slice(0, 160), status, problem, answer: answer.slice(0, 300) });
        let response: WireResponse;
        try {
          response = await timed('answers', () => send(options.apiUrl, wire));
        } catch (error) {
          finding(0, `no answer: ${(error as Error).message}`);
          continue;
        } finally {
          report.sent++;
        }
        report.byStatus.set(response.status, (report.byStatus.get(response.status) ?? 0) + 1);
        if (response.status >= 400) report.refused++;
        const changes = await timed('stream', () => watcher.changesSinceLastRead());
        for (const problem of problemsOf(request, byLabel.get(request.label), response, changes)) finding(response.status, problem, response.text);
      }
    }
  } finally {
    watcher.stop();
    closeConnections();
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

/** The report as printed: counts by status, then the findings grouped by problem with a few examples each. */
export function formatReport(report: FuzzReport, requested: number): string {
  const lines = [
    `Fuzz run: seed ${report.seed}, ${report.sent} of ${requested} requests in ${report.seconds.toFixed(0)} s (${(report.sent / report.seconds).toFixed(0)} per second; ` +
      `${report.spent.answers.toFixed(0)} s waiting for answers, ${report.spent.stream.toFixed(0)} s reading the stream, ${report.spent.setUp.toFixed(0)} s refreshing fixtures)`,
    '',
    '| status | responses |',
    '|---|---|',
    ...[...report.byStatus].sort(([a], [b]) => a - b).map(([status, count]) => `| ${status} | ${count} |`),
    '',
    `Responses ≥ 500: ${[...report.byStatus].filter(([status]) => status >= 500).reduce((sum, [, count]) => sum + count, 0)} (target 0)`,
    `Refused requests (4xx): ${report.refused}, of which changed state: ${report.findings.filter((f) => f.problem.startsWith('refused, yet changed')).length} (target 0)`,
    `Findings: ${report.findings.length} (target 0)`,
  ];
  const byProblem = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const kind = finding.problem.replace(/changed .*/, 'changed …');
    byProblem.set(kind, [...(byProblem.get(kind) ?? []), finding]);
  }
  for (const [problem, findings] of byProblem) {
    lines.push('', `${findings.length} × ${problem}`);
    for (const f of findings.slice(0, 3)) lines.push(`  #${f.index} ${f.label}: ${f.method} ${f.path} → ${f.status} ${f.problem} ${f.answer}`);
  }
  return lines.join('\n');
}
