import { Validations } from 'aws-cdk-lib';
import type { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ApiStack } from './api-stack';
import { DataStack } from './data-stack';
import { stackNames } from './stage-config';
import type { StageConfig } from './stage-config';

/**
 * Builds one stage's stacks into the app. Stack names carry the stage; nothing is shared. cdk-nag's
 * AwsSolutions and Serverless packs check every synthesis (synth, deploy, tests): an unacknowledged
 * finding fails it, and each acknowledgement in the code names its rule and its reason.
 */
export function buildStage(app: App, config: StageConfig) {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  const names = stackNames(config.stage);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const tags = { project: 'qr-ordering', stage: config.stage };
  const data = new DataStack(app, names.data, { config, env, tags });
  const api = new ApiStack(app, names.api, { config, table: data.table, env, tags });
  return { data, api };
}
