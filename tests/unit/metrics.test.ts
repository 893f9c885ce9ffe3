import middy from '@middy/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { count, publishMetrics } from '../../shared/observability/metrics';

/** What the process printed while `run` ran (Powertools writes EMF and its warnings to stdout/stderr). */
async function printed(run: () => Promise<unknown>): Promise<string> {
  const chunks: string[] = [];
  const capture = (chunk: unknown) => (chunks.push(String(chunk)), true);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  const log = vi.spyOn(console, 'log').mockImplementation((...args) => void chunks.push(args.join(' ')));
  const warn = vi.spyOn(console, 'warn').mockImplementation((...args) => void chunks.push(args.join(' ')));
  try {
    await run();
  } finally {
    for (const spy of [out, err, log, warn]) spy.mockRestore();
  }
  return chunks.join('');
}

afterEach(() => vi.restoreAllMocks());

describe('business metrics', () => {
  it('publish what an invocation counted, as EMF, and print nothing for one that counted nothing', async () => {
    const quiet = middy(async () => 'ok').use(publishMetrics());
    const counting = middy(async () => {
      count('OrdersPlaced');
      return 'ok';
    }).use(publishMetrics());

    expect(await printed(() => quiet({}, {} as never))).toBe('');
    const emf = await printed(() => counting({}, {} as never));
    expect(emf).toContain('"OrdersPlaced"');
    expect(emf).toContain('"CloudWatchMetrics"');
  });

  it('publish them when the invocation fails too', async () => {
    const failing = middy(async () => {
      count('OrderPlacementFailed');
      throw new Error('boom');
    }).use(publishMetrics());
    expect(await printed(() => failing({}, {} as never).catch(() => undefined))).toContain('"OrderPlacementFailed"');
  });
});
