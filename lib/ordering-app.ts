import { readFileSync } from 'node:fs';
import { App, Validations } from 'aws-cdk-lib';
import type { AppProps, Environment } from 'aws-cdk-lib';
import { ApiStack } from './api-stack';
import { DataStack } from './data-stack';
import { policyChecks } from './policy-checks';
import { RealtimeStack } from './realtime-stack';
import { WebContentStack } from './web-content-stack';
import { WebStack } from './web-stack';
import { siteUrls, stackNames } from './stage-config';
import type { StageConfig } from './stage-config';

/** cdk.json's context (feature flags included), so tests and tools synthesize exactly as the CLI does. */
const projectContext = (JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> })
  .context;

/** The project's CDK app: cdk.json's context under the caller's (the CLI's `-c` values win over both), and the policy checks. */
export function createOrderingApp(props: AppProps = {}): App {
  const app = new App({ ...props, context: { ...projectContext, ...props.context } });
  Validations.of(app).addPlugins(...policyChecks(app));
  return app;
}

/** The account and region the CDK CLI hands the app (it always sets the region; the account with credentials). */
export const cliEnvironment = (): Environment => ({ account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION });

/**
 * Builds one stage's stacks into the app. Stack names carry the stage; nothing is shared. With the
 * CLI's environment (`cdk synth`, `cdk deploy`) the stacks are bound to it and region and partition
 * render as literals; without one they stay env-agnostic. Both must synthesize cleanly.
 */
export function buildStage(app: App, config: StageConfig, env: Environment = cliEnvironment()) {
  const names = stackNames(config.stage);
  const tags = { project: 'qr-ordering', stage: config.stage };
  const data = new DataStack(app, names.data, { config, env, tags });
  const web = new WebStack(app, names.web, { config, env, tags });
  const shared = { config, table: data.table, alarmTopic: data.alarmTopic, site: siteUrls(config, web.url), env, tags };
  const api = new ApiStack(app, names.api, shared);
  const realtime = new RealtimeStack(app, names.realtime, shared);
  const webContent = new WebContentStack(app, names.webContent, {
    config,
    env,
    tags,
    bucket: web.bucket,
    distribution: web.distribution,
    restApiUrl: api.url,
    webSocketUrl: realtime.url,
  });
  return { data, web, api, realtime, webContent };
}
