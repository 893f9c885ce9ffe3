import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EnvName } from '../../shared/config/env';
import { availabilityTimer } from '../../shared/http/routes';
import { ApiFunction, constructIdFor } from './api-function';
import { acknowledgeFinding } from './nag';
import type { SiteUrls, StageConfig } from '../stage-config';

export interface AvailabilityTimersProps {
  config: StageConfig;
  table: ITable;
  site: SiteUrls;
}

/**
 * Timed 86s: a schedule group for the one-time EventBridge Scheduler schedules the menu function
 * creates (nothing runs or costs while they wait), the function they invoke, and the role they invoke
 * it with. Scheduler invokes asynchronously: Lambda retries a failed run twice, then the event goes to
 * an encrypted, TLS-only queue that alarms.
 */
export class AvailabilityTimers extends Construct {
  readonly function: IFunction;
  readonly deadLetters: Queue;
  private readonly group: CfnScheduleGroup;
  private readonly role: Role;

  constructor(scope: Construct, id: string, props: AvailabilityTimersProps) {
    super(scope, id);
    const { config } = props;
    this.group = new CfnScheduleGroup(this, 'Group', { name: `qr-ordering-${config.stage}` });
    this.deadLetters = new Queue(this, 'DeadLetters', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    for (const rule of ['AwsSolutions::AwsSolutions-SQS3', 'Serverless::Serverless-SQSRedrivePolicy', 'cdk-validator-cfnguard::sqs_dlq_check']) {
      Validations.of(this.deadLetters).acknowledge({ id: rule, reason: 'This queue is itself the failure destination of the availability timer.' });
    }
    // In the stack's scope, like every function, so its logical id is the one its entry gives (the benchmarks find bundles by it).
    this.function = new ApiFunction(Stack.of(this), constructIdFor(availabilityTimer.entry), { spec: availabilityTimer, table: props.table, config, site: props.site }).function;
    this.function.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1), onFailure: new SqsDestination(this.deadLetters) });

    const account = Stack.of(this).account;
    this.role = new Role(this, 'SchedulerRole', {
      description: `Lets this stage's timed-86 schedules invoke the availability timer (${config.stage})`,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': account } } }),
    });
    this.role.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.functionArn] }));
  }

  /** What a function that schedules timed 86s is told. */
  get environment(): Partial<Record<EnvName, string>> {
    return { SCHEDULE_GROUP: this.group.name as string, AVAILABILITY_TIMER_ARN: this.function.functionArn, SCHEDULER_ROLE_ARN: this.role.roleArn };
  }

  /** Lets `fn` create schedules in this group, handing them this role and nothing else. */
  grantScheduling(fn: IFunction): void {
    const schedules = Stack.of(this).formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${this.group.name}/*` });
    fn.addToRolePolicy(new PolicyStatement({ actions: ['scheduler:CreateSchedule'], resources: [schedules] }));
    fn.addToRolePolicy(new PolicyStatement({ actions: ['iam:PassRole'], resources: [this.role.roleArn], conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } } }));
    acknowledgeFinding(fn, 'AwsSolutions::AwsSolutions-IAM5', 'Resource', schedules, "Schedules are named per item and time when an 86 is set; the grant is confined to this stage's schedule group.");
  }
}
