#!/usr/bin/env node
import { buildStage, createOrderingApp } from '../lib/ordering-app';
import { stageConfig } from '../lib/stage-config';

// `cdk deploy -c stage=<name>` (default dev) builds that stage's stacks only.
const app = createOrderingApp();
buildStage(app, stageConfig(String(app.node.tryGetContext('stage') ?? 'dev')));
