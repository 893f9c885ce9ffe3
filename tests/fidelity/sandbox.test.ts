import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunctions } from '../../lib/local/function-bundles';
import type { FunctionBundles } from '../../lib/local/function-bundles';
import { startFunction } from '../../lib/local/function-host';
import type { LocalFunction } from '../../lib/local/function-host';

/** Each local function runs in instances of its own, like Lambda's: environment, module state, timeout. */
const entry = 'tests/fidelity/fixtures/probe.ts';
let bundles: FunctionBundles;
const started: LocalFunction[] = [];
const probe = (timeoutSeconds = 1, environment: Record<string, string> = { GIVEN: 'yes' }) => {
  const fn = startFunction({ entry, bundles, functionName: 'probe', environment, timeoutSeconds, memoryMb: 256, log: () => undefined });
  started.push(fn);
  return fn;
};

beforeAll(async () => {
  bundles = await bundleFunctions([entry]);
});

afterAll(async () => {
  await Promise.all(started.map((fn) => fn.stop()));
  await bundles.remove();
});

describe('a local function', () => {
  it('sees only the environment its template gives it', async () => {
    process.env.ONLY_IN_THE_RUNTIME = 'secret';
    const fn = probe();
    expect(await fn.invoke({ variable: 'GIVEN' })).toMatchObject({ variable: 'yes' });
    expect(await fn.invoke({ variable: 'ONLY_IN_THE_RUNTIME' })).toMatchObject({ variable: null });
    expect(await fn.invoke({ variable: 'PATH' })).toMatchObject({ variable: null });
  });

  it('runs the bundle Lambda would run, and its stack traces name the TypeScript source', async () => {
    const fn = probe();
    const { module, stack } = (await fn.invoke({})) as { module: string; stack: string };
    expect(module).toBe(bundles.of(entry).href);
    expect(module).toMatch(/\/\.local\/bundles\/run-[^/]+\/tests\/fidelity\/fixtures\/probe\.mjs$/);
    // Mapped back through the bundle's source map, as NODE_OPTIONS=--enable-source-maps does on Lambda.
    expect(stack).toMatch(/fixtures\/probe\.ts:\d+:\d+/);
  });

  it('keeps module state per instance, and starts cold in a new one', async () => {
    const fn = probe();
    expect(await fn.invoke({})).toMatchObject({ invocations: 1 });
    expect(await fn.invoke({})).toMatchObject({ invocations: 2 });
    // Two at once: the second event gets an instance of its own, freshly initialised.
    const [a, b] = (await Promise.all([fn.invoke({ spinMs: 200 }), fn.invoke({ spinMs: 200 })])) as { invocations: number }[];
    expect([a?.invocations, b?.invocations].sort()).toEqual([1, 3]);
  });

  it('cuts a CPU-bound invocation at its timeout, like Lambda, while other events are served', async () => {
    const fn = probe(1);
    const started = Date.now();
    const stuck = fn.invoke({ spinMs: 10_000 }).then(
      () => 'finished',
      (error: Error) => error.message,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await fn.invoke({})).toMatchObject({ invocations: 1 });
    expect(Date.now() - started).toBeLessThan(900);
    expect(await stuck).toBe('Task timed out after 1.00 seconds');
    expect(Date.now() - started).toBeLessThan(3000);
    // The instance that timed out is gone; the next cold one starts from scratch.
    const after = (await Promise.all([fn.invoke({}), fn.invoke({ spinMs: 100 })])) as { invocations: number }[];
    expect(after.map((r) => r.invocations).sort()).toEqual([1, 2]);
  });
});
