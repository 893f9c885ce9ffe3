#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildStage } from '../lib/ordering-app';
import { stageConfig } from '../lib/stage-config';

// `cdk deploy -c stage=<name>` (default dev) builds that stage's stacks only.
const app = new App();
buildStage(app, stageConfig(String(app.node.tryGetContext('stage') ?? 'dev')));
