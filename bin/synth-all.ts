#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildStage } from '../lib/ordering-app';
import { STAGE_NAMES, stages } from '../lib/stage-config';

// Synthesizes every stage (bundling included) into cdk.out/<stage>, so a broken stage fails here, not at deploy.
for (const stage of STAGE_NAMES) {
  const app = new App({ outdir: `cdk.out/${stage}`, context: { stage } });
  const { data, api } = buildStage(app, stages[stage]);
  app.synth();
  console.log(`synthesized ${stage}: ${data.stackName}, ${api.stackName} → cdk.out/${stage}`);
}
