import '../support/dynamodb-env';
import { afterAll, expect, it } from 'vitest';
import { runLoad } from '../../bin/bench/load';
import { startRuntime } from './support/local-runtime';
import type { RunningRuntime } from './support/local-runtime';

/**
 * The bench's full service at a small size, on a bad night: 1 % of DynamoDB calls and 5 % of
 * @connections posts failing, and the runtime stopped and started in the middle of the service. Phones
 * and kitchen screens are real HTTP and WebSocket clients that retry as the apps do and reconnect then
 * `sync`; the end state is read from the table: every Idempotency-Key made one order, every phone's
 * and screen's orders equal the table, every message a socket missed is dead-lettered or was missed
 * while it was down.
 */

const FAULTS = ['--dynamodb-faults', 'rate=0.01,seed=11', '--connection-faults', 'rate=0.05,kinds=limit+error500+slow,seed=12'];
let runtime: RunningRuntime;

afterAll(async () => {
  await runtime?.stop();
});

it('loses and doubles nothing with faults on and a restart during service', async () => {
  runtime = await startRuntime({}, FAULTS);
  const endpoints = { url: runtime.url, webSocketUrl: runtime.webSocketUrl };
  const load = await runLoad(endpoints, { restaurants: 1, tables: 4, guests: 2, kitchens: 2, lines: 2, thinkMs: 150 }, () => undefined, {
    restartAtSeconds: 2,
    restartRuntime: async () => {
      const ports = ['--port', new URL(endpoints.url).port, '--ws-port', new URL(endpoints.webSocketUrl).port];
      await runtime.stop();
      runtime = await startRuntime({}, [...FAULTS, ...ports]);
    },
  });

  expect(load.restart, 'the runtime was restarted during service').toBeDefined();
  expect(load.reconnections, 'sockets came back after the restart').toBeGreaterThan(0);
  // Two FAMILY tables place one order each, two INDIVIDUAL tables one per guest.
  expect(load.orders).toBe(6);
  expect(load.endState.ordersChecked).toBe(6);
  expect(load.endState.guestsChecked).toBe(8);
  expect(load.endState.screensChecked).toBe(2);
  expect(load.recorder.errors(), 'every request got its answer, retried where the client must').toBe(0);
  expect(load.endState.findings).toEqual([]);
  expect(load.fanout.reduce((sum, kind) => sum + kind.lost, 0)).toBe(0);
  expect(runtime.logs()).toContain('"level"');
}, 240_000);
