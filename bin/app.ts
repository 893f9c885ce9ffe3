#!/usr/bin/env node
import { buildStage, createOrderingApp } from '../lib/ordering-app';
import { resolveStageConfig } from '../lib/stage-config';

// `cdk deploy -c stage=<name>` (default dev) builds that stage's stacks only, with the deployment's context values.
const app = createOrderingApp();
buildStage(app, resolveStageConfig((key) => app.node.tryGetContext(key)));
