import type { App } from 'aws-cdk-lib';
import { ApiStack } from './api-stack';
import { DataStack } from './data-stack';
import { stackNames } from './stage-config';
import type { StageConfig } from './stage-config';

/** Builds one stage's stacks into the app. Stack names carry the stage; nothing is shared. */
export function buildStage(app: App, config: StageConfig) {
  const names = stackNames(config.stage);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const tags = { project: 'qr-ordering', stage: config.stage };
  const data = new DataStack(app, names.data, { config, env, tags });
  const api = new ApiStack(app, names.api, { config, table: data.table, env, tags });
  return { data, api };
}
