import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { constructIdFor } from '../../lib/constructs/api-function';
import { localAwsEnv } from '../../lib/local/dynamodb-local';
import { LOCAL_SITE } from '../../lib/local/runtime';
import { buildStage, createOrderingApp } from '../../lib/ordering-app';
import { functionEnvironment, stackNames, stages } from '../../lib/stage-config';
import { lambdaFunctions } from '../../shared/http/routes';
import { median } from './stats';

export interface ColdStart {
  entry: string;
  bundleBytes: number;
  /** Median time to import the bundle (and the AWS SDK it leaves to the runtime) in a fresh Node process. */
  initMs: number;
}

export interface ColdStarts {
  functions: ColdStart[];
  /**
   * Median time for a fresh Node process to import the AWS SDK's DynamoDB clients alone, measured in
   * the same rounds: the part of every init (but the delivery function's) that is Lambda's runtime's,
   * not ours, and that moves with the machine's pace from run to run.
   */
  sdkMs: number;
}

/** Synthesizes the dev stage with bundling (what `cdk deploy` uploads) into `outdir`. */
export function synthesizeDev(outdir: string): void {
  const app = createOrderingApp({ outdir, context: { stage: 'dev' } });
  buildStage(app, stages.dev, {});
  app.synth();
}

/** Every function's bundle in a synthesized dev stage, by handler entry; throws, saying what is missing, when `cdkOut` is not one. */
export function bundles(cdkOut: string): Map<string, string> {
  const { api, realtime } = stackNames('dev');
  const templates = [api, realtime].map((stack) => join(cdkOut, `${stack}.template.json`));
  const missing = templates.find((template) => !existsSync(template));
  if (missing) throw new Error(`${cdkOut} is no synthesized dev stage: ${missing} does not exist (npm run cdk -- synth -c stage=dev -o <dir>).`);
  const resources = templates.flatMap((template) =>
    Object.entries(
      (
        JSON.parse(readFileSync(template, 'utf8')) as {
          Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string } } }>;
        }
      ).Resources,
    ),
  );
  const entries = lambdaFunctions.map((fn) => fn.entry);
  const found = new Map<string, string>();
  for (const [logicalId, resource] of resources) {
    // The asset's folder is named after the hash that is also its S3 key.
    const hash = resource.Properties.Code?.S3Key?.replace(/\.zip$/, '');
    if (resource.Type !== 'AWS::Lambda::Function' || !hash) continue;
    const entry = entries.find((candidate) => logicalId.startsWith(`${constructIdFor(candidate)}Function`));
    if (entry) found.set(entry, join(cdkOut, `asset.${hash}`, 'index.mjs'));
  }
  if (found.size === 0) throw new Error(`No function bundles in ${cdkOut}: synthesize the dev stage first.`);
  const absent = [...found].find(([, file]) => !existsSync(file));
  if (absent) throw new Error(`${absent[0]}: no bundle at ${absent[1]} (was ${cdkOut} synthesized with bundling?)`);
  return found;
}

const run = promisify(execFile);

/**
 * Bundle size (minified, as deployed) and init time: a fresh Node process with the function's
 * environment imports the bundle, `runs` times, and reports how long the import took. The AWS SDK
 * stays outside the bundles (the runtime provides it), so it is imported from node_modules here; each
 * round also times it alone.
 */
export async function measureColdStarts(cdkOut: string, runs: number, onProgress: (line: string) => void): Promise<ColdStarts> {
  const found = bundles(resolve(cdkOut));
  const env = {
    ...process.env,
    ...functionEnvironment(stages.dev, 'qr-ordering-bench', LOCAL_SITE),
    ...localAwsEnv,
    PIN_KEY: 'bench-only-pin-key-never-deployed',
    NODE_OPTIONS: '--enable-source-maps',
  };
  const timed = async (imports: string, bundle = '') => {
    const script = `const t=performance.now();${imports};process.stdout.write(String(performance.now()-t))`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: { ...env, BUNDLE: bundle } });
    return Number(stdout);
  };
  // Round-robin over the functions, so a moment of machine noise touches one run of many functions, not every run of one.
  const times = new Map<string, number[]>([...found.keys()].map((entry) => [entry, []]));
  const sdk: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const [entry, file] of found) times.get(entry)?.push(await timed('await import(process.env.BUNDLE)', file));
    sdk.push(await timed("await import('@aws-sdk/client-dynamodb');await import('@aws-sdk/lib-dynamodb')"));
    onProgress(`cold starts: round ${i + 1} of ${runs} over ${found.size} functions`);
  }
  const functions = [...found].map(([entry, file]) => ({ entry, bundleBytes: statSync(file).size, initMs: median(times.get(entry) ?? []) }));
  return { functions: functions.sort((a, b) => b.initMs - a.initMs), sdkMs: median(sdk) };
}
