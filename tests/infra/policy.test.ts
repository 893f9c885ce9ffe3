import { join } from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, CfnResource, Fn, Stack, Validations } from 'aws-cdk-lib';
import { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import type { PolicyValidationPluginReport } from 'aws-cdk-lib';
import type { Environment } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildStage, createOrderingApp } from '../../lib/ordering-app';
import { GUARD_MAX_BUFFER, policyChecks, StrictCfnGuard } from '../../lib/policy-checks';
import { STAGE_NAMES, stages } from '../../lib/stage-config';

/**
 * Every synthesis runs the checks (createOrderingApp adds them), so each stage is checked three ways:
 * env-agnostic, as tools synthesize without the CLI, by every synthesis of stacks.test.ts; bound to an
 * account in eu-central-1 through the pinned CLI, as `cdk deploy` binds it, by CI's `npm run synth`;
 * and bound in us-east-1 (CloudFront's region, where some resources behave differently) here.
 */
const ENVIRONMENTS: [string, Environment][] = [['us-east-1', { account: '123456789012', region: 'us-east-1' }]];

const appFor = (stage: string) => createOrderingApp({ context: { stage, 'aws:cdk:bundling-stacks': [] } });

function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id, reason }))),
  );
}

describe.each(STAGE_NAMES)('policy checks on stage %s', (stage) => {
  it.each(ENVIRONMENTS)('find nothing unacknowledged (cdk-nag AwsSolutions and Serverless, Control Tower Guard rules), %s', (_, env) => {
    const app = appFor(stage);
    buildStage(app, stages[stage], env);
    expect(() => app.synth()).not.toThrow();
  });

  it('have a reason on every acknowledgement', () => {
    const app = appFor(stage);
    buildStage(app, stages[stage], {});
    const acks = acknowledgements(app);
    expect(acks.map((ack) => ack.id)).toEqual(expect.arrayContaining([expect.stringMatching(/^cdk-validator-cfnguard::/)]));
    for (const ack of acks) {
      expect(ack.id).toMatch(/^(AwsSolutions|Serverless|cdk-validator-cfnguard)/);
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThan(40);
    }
  });
});

describe('policy checks', () => {
  /** What a plugin is handed for the templates (the Guard plugins read only their paths). */
  const handed = (app: App, templatePaths: string[]) => ({ templatePaths, stackTemplates: [], appConstruct: app });
  /** What a Guard report finds: each rule with the resources it names, in a stable order. */
  const findings = (report: PolicyValidationPluginReport) =>
    report.violations.map((violation) => `${violation.ruleName}: ${violation.violatingResources.map((resource) => `${resource.templatePath} ${resource.resourceLogicalId}`).sort().join(', ')}`).sort();

  it('find with a narrowed Guard input exactly what Guard finds in the whole templates', () => {
    const app = appFor('prod');
    buildStage(app, stages.prod, {});
    const assembly = app.synth();
    // The stacks quick to check in full (Guard takes ~25 s over the whole API stack, which was compared once by hand).
    const templatePaths = ['QrOrdering-prod-Realtime', 'QrOrdering-prod-Web', 'QrOrdering-prod-Data'].map((name) => join(assembly.directory, `${name}.template.json`));
    const narrowed = findings(new StrictCfnGuard().validate(handed(app, templatePaths)));
    expect(narrowed).toEqual(findings(new CfnGuardValidator({ maxBuffer: GUARD_MAX_BUFFER }).validate(handed(app, templatePaths))));
    expect(narrowed.length).toBeGreaterThan(5);
  });

  it('keep in the narrowed Guard input what a kept resource references, though no rule names its type', () => {
    const app = new App();
    const stack = new Stack(app, 'Referencing');
    const api = new CfnResource(stack, 'Api', { type: 'AWS::ApiGateway::RestApi', properties: { Name: 'api' } });
    // CT.LAMBDA.PR.2 accepts a service principal's SourceArn that references a resource of the template, of any type.
    new CfnPermission(stack, 'Invoke', { action: 'lambda:InvokeFunction', functionName: 'f', principal: 'apigateway.amazonaws.com', sourceArn: Fn.getAtt(api.logicalId, 'Arn').toString() });
    new CfnLogGroup(stack, 'Logs', { retentionInDays: 365 });
    const templatePaths = [join(app.synth().directory, 'Referencing.template.json')];
    const narrowed = findings(new StrictCfnGuard().validate(handed(app, templatePaths)));
    expect(narrowed).toEqual([expect.stringMatching(/^cloudwatch_log_group_encrypted_check: \S+ Logs$/)]);
    expect(narrowed).toEqual(findings(new CfnGuardValidator().validate(handed(app, templatePaths))));
  });

  function carelessApp() {
    const app = new App();
    Validations.of(app).addPlugins(...policyChecks(app));
    return { app, stack: new Stack(app, 'Careless') };
  }

  it('fail the synthesis on a cdk-nag finding nobody acknowledged', () => {
    const { app, stack } = carelessApp();
    new Queue(stack, 'PlainQueue', { enforceSSL: false });
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS/);
  });

  it('fail the synthesis on a Guard finding nobody acknowledged, even beside acknowledged ones', () => {
    const { app, stack } = carelessApp();
    const acknowledged = new Queue(stack, 'Acknowledged', { enforceSSL: true });
    const careless = new Queue(stack, 'Careless', { enforceSSL: true });
    for (const queue of [acknowledged, careless]) {
      for (const id of ['AwsSolutions::AwsSolutions-SQS3', 'Serverless::Serverless-SQSRedrivePolicy']) {
        Validations.of(queue).acknowledge({ id, reason: 'only the Guard rule is under test here' });
      }
    }
    Validations.of(acknowledged).acknowledge({ id: 'cdk-validator-cfnguard::sqs_dlq_check', reason: 'this one is acknowledged' });
    expect(() => app.synth()).toThrow(/CT\.SQS\.PR\.1[\s\S]*Careless\/Careless/);
  });
});
