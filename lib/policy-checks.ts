import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import type { App, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';

/**
 * AWS Control Tower's proactive controls through cfn-guard, with every finding marked an error.
 * The plugin leaves `severity` unset; the CDK then recomputes a report's success once anything in it
 * is acknowledged, and a finding without a severity no longer fails the synthesis. Marking them keeps
 * a new, unacknowledged finding fatal however many others are acknowledged.
 */
class StrictCfnGuard implements IPolicyValidationPlugin {
  private readonly guard = new CfnGuardValidator({
    // cfn-guard prints every finding on stdout; the default 1 MB buffer overflows on a full stage.
    maxBuffer: 64 * 1024 * 1024,
  });
  readonly name = this.guard.name;
  readonly version = this.guard.version;
  readonly ruleIds = this.guard.ruleIds;

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = this.guard.validate(context);
    return { ...report, violations: report.violations.map((violation) => ({ ...violation, severity: violation.severity ?? 'error' })) };
  }
}

/**
 * The checks every synthesis runs (synth, deploy, tests): cdk-nag's AwsSolutions and Serverless
 * packs and AWS Control Tower's proactive controls (cfn-guard, offline). An unacknowledged finding
 * fails the synthesis; each acknowledgement in the code names its rule and its reason.
 */
export function policyChecks(app: App): IPolicyValidationPlugin[] {
  return [new AwsSolutionsChecks(app), new ServerlessChecks(app), new StrictCfnGuard()];
}
