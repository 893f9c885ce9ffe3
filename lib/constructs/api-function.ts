import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { EnvName } from '../../shared/config/env';
import { DEFAULT_TIMEOUT_SECONDS } from '../../shared/http/routes';
import type { FunctionSpec } from '../../shared/http/routes';
import { FUNCTION_BUNDLING } from '../function-bundling';
import { tableActions } from '../table-access';
import { tableDefinition } from '../../shared/db/table-definition';
import { fileURLToPath } from 'node:url';
import { functionEnvironment } from '../stage-config';
import { TRACING_OFF, acknowledgeManagedPolicy } from './nag';
import { stageLogGroup } from './stage-log-group';
import type { SiteUrls, StageConfig } from '../stage-config';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));


export interface ApiFunctionProps {
  /** The manifest's function: entry module and grants. */
  spec: FunctionSpec;
  table: ITable;
  config: StageConfig;
  site: SiteUrls;
  /** The PIN hashing key, for a function whose spec says `pinKey`. */
  pinKey?: ISecret;
  /** Added to the stage's function environment. */
  environment?: Partial<Record<EnvName, string>>;
  /** Reserved concurrency: guaranteed to this function and its cap (the stage's `concurrency`). */
  reservedConcurrency?: number;
}

/**
 * The one way this project builds a Lambda function: Node.js 24 on arm64, an ESM bundle that is
 * minified with source maps, its own log group with the stage's retention, the validated
 * environment, and only the table access its routes need.
 */
export class ApiFunction extends Construct {
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);
    const { config, table, spec } = props;
    if (spec.pinKey && !props.pinKey) throw new Error(`${spec.entry} reads the PIN key, but none was given`);

    const logGroup = stageLogGroup(this, 'Logs', config);

    this.function = new NodejsFunction(this, 'Function', {
      entry: `${repoRoot}${spec.entry}`,
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: `${repoRoot}package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: config.lambdaMemoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS),
      reservedConcurrentExecutions: props.reservedConcurrency,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      // X-Ray is off: see TRACING_OFF.
      tracing: Tracing.DISABLED,
      environment: {
        ...functionEnvironment(config, table.tableName, props.site),
        ...(spec.pinKey && props.pinKey ? { PIN_KEY_SECRET_ARN: props.pinKey.secretArn } : {}),
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: { ...FUNCTION_BUNDLING, format: OutputFormat.ESM, sourceMap: true },
    });

    // Exactly the item operations the access patterns use, on the table and its named indexes: no Scan, no index/*.
    if (spec.pinKey) props.pinKey?.grantRead(this.function);
    if (spec.table !== 'none') {
      const actions = tableActions(spec.table);
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: actions.map((action) => `dynamodb:${action}`),
          resources: [table.tableArn, ...tableDefinition.globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`)],
        }),
      );
    }

    const nag = Validations.of(this);
    acknowledgeManagedPolicy(this, 'service-role/AWSLambdaBasicExecutionRole', 'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch logs.');
    nag.acknowledge({ id: 'Serverless::Serverless-LambdaTracing', reason: TRACING_OFF });
    nag.acknowledge({
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
      reason:
        'The functions reach only AWS endpoints (DynamoDB, Secrets Manager, API Gateway) and nothing private; a VPC would add NAT or endpoint costs and cold-start latency for no isolation gained.',
    });
    nag.acknowledge({
      id: 'Serverless::Serverless-LambdaDLQ',
      reason:
        'Invoked synchronously by API Gateway, by a stream event source mapping with its own on-failure SQS destination, or (the availability timer) asynchronously by schedules with an on-failure SQS destination configured on its async invoke config.',
    });
  }
}

/** `functions/http/staff/index.ts` → `HttpStaff`, `functions/streams/fanout.ts` → `StreamsFanout`: a stable construct id per function. */
export function constructIdFor(entry: string): string {
  return entry
    .replace(/^functions\//, '')
    .replace(/(\/index)?\.ts$/, '')
    .split(/[/-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
