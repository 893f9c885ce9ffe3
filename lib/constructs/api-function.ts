import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { functionEnvironment } from '../stage-config';
import type { StageConfig } from '../stage-config';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ApiFunctionProps {
  /** Handler module relative to the repository root, as the route manifest names it. */
  entry: string;
  table: ITable;
  tableAccess: 'none' | 'read' | 'readWrite';
  config: StageConfig;
  /** Added to the stage's function environment. */
  environment?: Record<string, string>;
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
    const { config, table } = props;

    const logGroup = new LogGroup(this, 'Logs', {
      retention: config.logRetentionDays as RetentionDays,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.function = new NodejsFunction(this, 'Function', {
      entry: `${repoRoot}${props.entry}`,
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: `${repoRoot}package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: config.lambdaMemoryMb,
      timeout: Duration.seconds(10),
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        ...functionEnvironment(config, table.tableName),
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        mainFields: ['module', 'main'],
        // The AWS SDK v3 ships with the nodejs24.x runtime and stays out of the bundle (the default).
        // Some CommonJS dependencies call require(); give the ESM bundle one.
        banner: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
      },
    });

    if (props.tableAccess === 'read') table.grantReadData(this.function);
    if (props.tableAccess === 'readWrite') table.grantReadWriteData(this.function);
  }
}

/** `functions/http/staff-login.ts` → `HttpStaffLogin`: a stable construct id per handler. */
export function constructIdFor(entry: string): string {
  return entry
    .replace(/^functions\//, '')
    .replace(/\.ts$/, '')
    .split(/[/-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
