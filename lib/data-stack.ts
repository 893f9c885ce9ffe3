import { CfnOutput, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { tableDefinition } from '../shared/db/table-definition';
import type { StageConfig } from './stage-config';

export interface DataStackProps extends StackProps {
  config: StageConfig;
}

/** The single table, built from the shared definition (data protection follows the stage), and the stage's alarm topic. */
export class DataStack extends Stack {
  readonly table: Table;
  /** Every alarm of the stage pages through this topic (the stage's alarm e-mail is subscribed). */
  readonly alarmTopic: Topic;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;
    const def = tableDefinition;

    this.table = new Table(this, 'Table', {
      partitionKey: { name: def.partitionKey, type: AttributeType.STRING },
      sortKey: { name: def.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      stream: StreamViewType[def.streamViewType],
      timeToLiveAttribute: def.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: config.pointInTimeRecovery },
      deletionProtection: config.deletionProtection,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of def.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType[index.projection],
      });
    }

    Validations.of(this.table).acknowledge({
      id: 'cdk-validator-cfnguard::dynamodb_table_encrypted_kms_check',
      reason:
        'Encrypted at rest with the AWS-owned key. A customer key would add a KMS grant to every function and a key per stage; nothing leaves this account and secrets (PINs, passwords, tokens) are stored only as hashes.',
    });
    if (!config.pointInTimeRecovery) {
      for (const id of ['AwsSolutions::AwsSolutions-DDB3', 'cdk-validator-cfnguard::dynamodb_table_pitr_enabled_check']) {
        Validations.of(this.table).acknowledge({ id, reason: 'Development data is disposable; staging and prod have point-in-time recovery.' });
      }
    }

    this.alarmTopic = new Topic(this, 'Alarms', { displayName: `QR ordering alarms (${config.stage})`, enforceSSL: true });
    if (config.alarmEmail) {
      this.alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));
      Validations.of(this.alarmTopic).acknowledge({
        id: 'Serverless::Serverless-SNSRedrivePolicy',
        reason: 'An e-mail subscription: SNS retries delivery to the mail server itself, and an alarm stays visible in CloudWatch whatever happens to its e-mail.',
      });
    }

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
  }
}
