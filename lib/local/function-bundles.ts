import { build } from 'esbuild';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FUNCTION_BUNDLING } from '../function-bundling';

const root = new URL('../../', import.meta.url);
const BUNDLES_DIR = new URL('.local/bundles/', root);
/** The worker-thread host of every local function instance (function-worker.ts). */
const WORKER_ENTRY = 'lib/local/function-worker.ts';

/** Functions' bundles as Lambda runs them, with the worker that hosts them. */
export interface FunctionBundles {
  /** The worker-thread host, bundled too: an instance starts without a TypeScript loader, as fast as a Lambda init. */
  worker: URL;
  /** The bundle of an entry given to bundleFunctions (relative to the repository). */
  of(entry: string): URL;
  remove(): Promise<void>;
}

/** `functions/http/menu/index.ts` → `functions/http/menu/index`: where an entry's bundle goes in the output folder. */
const outputName = (entry: string) => entry.replace(/\.ts$/, '');

/**
 * Bundles the entries (repository-relative) as the CDK bundles them for Lambda (FUNCTION_BUNDLING), in one
 * esbuild run of about half a second, into a folder of this call's own under `.local/bundles/` (inside the
 * repository, so that `@aws-sdk/*`, left out of the bundles because Lambda's runtime provides it, resolves
 * from node_modules). Code changes reach the functions when the runtime starts again, as with a deploy.
 */
export async function bundleFunctions(entries: readonly string[]): Promise<FunctionBundles> {
  await mkdir(BUNDLES_DIR, { recursive: true });
  const outdir = await mkdtemp(fileURLToPath(new URL('run-', BUNDLES_DIR)));
  const { banner, externalModules, ...options } = FUNCTION_BUNDLING;
  try {
    await build({
      absWorkingDir: fileURLToPath(root),
      entryPoints: Object.fromEntries([...entries, WORKER_ENTRY].map((entry) => [outputName(entry), entry])),
      outdir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      sourcemap: true,
      banner: { js: banner },
      external: externalModules,
      logLevel: 'error',
      ...options,
    });
  } catch (error) {
    await rm(outdir, { recursive: true, force: true });
    throw error;
  }
  const bundleOf = (entry: string) => pathToFileURL(`${outdir}/${outputName(entry)}.mjs`);
  return {
    worker: bundleOf(WORKER_ENTRY),
    of: (entry) => {
      if (!entries.includes(entry)) throw new Error(`${entry} was not bundled`);
      return bundleOf(entry);
    },
    remove: () => rm(outdir, { recursive: true, force: true }),
  };
}
