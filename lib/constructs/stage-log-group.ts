import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../stage-config';

/**
 * The one way this project makes a log group: the stage's retention, kept with the data when the
 * stage keeps its data. CloudWatch Logs encrypts every group at rest with its own keys; a customer
 * key would add a key policy and a per-stage key for logs that by design never hold a token, PIN or password.
 */
export function stageLogGroup(scope: Construct, id: string, config: StageConfig): LogGroup {
  const logGroup = new LogGroup(scope, id, {
    retention: config.logRetentionDays as RetentionDays,
    removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  const guard = Validations.of(logGroup);
  guard.acknowledge({
    id: 'cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
    reason: 'Encrypted at rest with CloudWatch Logs keys; no token, PIN or password is ever logged, so a customer key buys no protection.',
  });
  if (config.logRetentionDays < 365) {
    guard.acknowledge({
      id: 'cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
      reason: `The ${config.stage} stage keeps logs ${config.logRetentionDays} days by choice (cost, disposable data); prod keeps them a year.`,
    });
  }
  return logGroup;
}
