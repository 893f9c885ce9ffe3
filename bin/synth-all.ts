#!/usr/bin/env node
import { execFileSync } from 'node:child_process';
import { STAGE_NAMES } from '../lib/stage-config';

// Synthesizes every stage (bundling, cdk-nag and Guard included) through the pinned CDK CLI, exactly
// as `cdk deploy` does, into cdk.out/<stage>, strictly (a construct warning fails it too): a broken
// stage fails here, not at deploy. The CLI binds the stacks to AWS_REGION (else us-east-1) and to
// CDK_DEFAULT_ACCOUNT when set; no credentials are needed.
for (const stage of STAGE_NAMES) {
  execFileSync('cdk', ['synth', '--quiet', '--strict', '-c', `stage=${stage}`, '--output', `cdk.out/${stage}`, ...process.argv.slice(2)], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  console.log(`synthesized ${stage} → cdk.out/${stage}`);
}
