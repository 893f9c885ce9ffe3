import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildStage } from '../../lib/ordering-app';
import { STAGE_NAMES, stages } from '../../lib/stage-config';

const appFor = (stage: string) => new App({ context: { stage, 'aws:cdk:bundling-stacks': [] } });

function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id, reason }))),
  );
}

describe.each(STAGE_NAMES)('cdk-nag on stage %s', (stage) => {
  it('finds nothing unacknowledged in the AwsSolutions and Serverless packs', () => {
    const app = appFor(stage);
    buildStage(app, stages[stage]);
    expect(() => app.synth()).not.toThrow();
  });

  it('has a reason on every acknowledgement', () => {
    const app = appFor(stage);
    buildStage(app, stages[stage]);
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id).toMatch(/AwsSolutions|Serverless/);
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThan(40);
    }
  });
});

describe('cdk-nag checks', () => {
  it('fail the synthesis on a finding nobody acknowledged', () => {
    const app = new App();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
    new Queue(new Stack(app, 'Careless'), 'PlainQueue', { enforceSSL: false });
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS/);
  });
});
