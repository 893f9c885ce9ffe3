import { CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import { WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { authorizer, deliveryFunction, streamConsumer, webSocketFunction, webSocketRoutes } from '../shared/http/routes';
import type { FunctionSpec, WebSocketRoute } from '../shared/http/routes';
import type { EnvName } from '../shared/config/env';
import { STREAM_MAPPING, streamFilterPatterns } from '../shared/realtime/stream-filters';
import { ApiFunction, constructIdFor } from './constructs/api-function';
import { FIVE_MINUTES, Monitoring } from './constructs/monitoring';
import { INVOKED_ONLY_BY_ITS_API, acknowledgeFinding } from './constructs/nag';
import { stageLogGroup } from './constructs/stage-log-group';
import type { SiteUrls, StageConfig } from './stage-config';

export interface RealtimeStackProps extends StackProps {
  config: StageConfig;
  table: ITable;
  alarmTopic: ITopic;
  site: SiteUrls;
}

/**
 * Real time: the WebSocket API (the REQUEST authorizer on `$connect`, one function for every route)
 * and the fan-out that turns the table's stream into messages over `@connections`, with its DLQ and alarms.
 */
export class RealtimeStack extends Stack {
  /** The WebSocket stage's URL, which the web apps' config.json names. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: RealtimeStackProps) {
    super(scope, id, props);
    const { config, table } = props;
    const functionFor = (spec: FunctionSpec, environment: Partial<Record<EnvName, string>> = {}, reservedConcurrency?: number) =>
      new ApiFunction(this, constructIdFor(spec.entry), { spec, table, config, site: props.site, environment, reservedConcurrency }).function;
    const authorizerFunction = functionFor(authorizer);
    const socketFunction = functionFor(webSocketFunction);

    const integration = (name: string) => new WebSocketLambdaIntegration(`Ws${name}`, socketFunction);
    const webSocketApi = new WebSocketApi(this, 'WebSocketApi', {
      apiName: `qr-ordering-ws-${config.stage}`,
      routeSelectionExpression: '$request.body.action',
      connectRouteOptions: {
        integration: integration('Connect'),
        // No identity source: the token may be in ?token= (browsers) or the Authorization header, and
        // WebSocket authorizers do not cache, so the authorizer itself reads whichever is there.
        authorizer: new WebSocketLambdaAuthorizer('WebSocketAuthorizer', authorizerFunction, { identitySource: [] }),
      },
      disconnectRouteOptions: { integration: integration('Disconnect') },
      defaultRouteOptions: { integration: integration('Default'), returnResponse: webSocketRoutes.$default.returnResponse },
    });
    for (const [action, route] of Object.entries(webSocketRoutes)) {
      // $connect, $disconnect and $default are the API's own routes, made above.
      if (action.startsWith('$')) continue;
      webSocketApi.addRoute(action, { integration: integration(action), returnResponse: (route as WebSocketRoute).returnResponse });
    }
    Validations.of(webSocketApi).acknowledge({ id: 'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check', reason: INVOKED_ONLY_BY_ITS_API });
    for (const id of ['AwsSolutions::AwsSolutions-APIG4', 'cdk-validator-cfnguard::api_gw_v2_authorization_type_configured_check']) {
      Validations.of(webSocketApi).acknowledge({
        id,
        reason: 'API Gateway runs WebSocket authorizers on $connect only; every later route of a connection is already authenticated.',
      });
    }
    const webSocketStage = new WebSocketStage(this, 'WebSocketStage', {
      webSocketApi,
      stageName: config.stage,
      autoDeploy: true,
      throttle: config.webSocketThrottle,
    });
    const accessLogs = stageLogGroup(this, 'WebSocketAccessLogs', config);
    (webSocketStage.node.defaultChild as CfnStage).accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        requestTime: '$context.requestTime',
        routeKey: '$context.routeKey',
        eventType: '$context.eventType',
        status: '$context.status',
        connectionId: '$context.connectionId',
        integrationError: '$context.integrationErrorMessage',
      }),
    };

    // Only the fan-out and the delivery function it hands a big channel's shares to post to
    // connections, so only they know where the @connections endpoint is.
    const delivery = functionFor(deliveryFunction, { WEBSOCKET_ENDPOINT: webSocketStage.callbackUrl });
    const fanout = functionFor(streamConsumer, { WEBSOCKET_ENDPOINT: webSocketStage.callbackUrl, DELIVERY_FUNCTION_NAME: delivery.functionName }, config.concurrency.fanout);
    fanout.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [delivery.functionArn] }));
    for (const poster of [fanout, delivery]) this.allowManagingConnections(poster, webSocketStage);
    const deadLetters = this.addStreamConsumer(fanout, table);

    new Monitoring(this, 'Monitoring', {
      config,
      topic: props.alarmTopic,
      dashboard: 'realtime',
      functions: [authorizerFunction, socketFunction, fanout, delivery],
      alarms: [
        {
          name: 'FanoutIteratorAge',
          metric: new Metric({
            namespace: 'AWS/Lambda',
            metricName: 'IteratorAge',
            dimensionsMap: { FunctionName: fanout.functionName },
            statistic: 'Maximum',
            period: Duration.minutes(1),
          }),
          threshold: 60_000,
          description: 'The stream consumer is more than 60 s behind: real-time messages arrive late.',
        },
        {
          name: 'FanoutDeadLetters',
          metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
          threshold: 0,
          description: 'Stream records the fan-out gave up on.',
        },
        {
          name: 'WebSocketExecutionErrors',
          metric: new Metric({
            namespace: 'AWS/ApiGateway',
            metricName: 'ExecutionError',
            dimensionsMap: { ApiId: webSocketApi.apiId, Stage: webSocketStage.stageName },
            statistic: 'Sum',
            period: FIVE_MINUTES,
          }),
          threshold: 0,
          description: 'WebSocket API integration errors.',
        },
      ],
      businessMetrics: { 'Fan-out': ['FanoutMessages', 'FanoutGone', 'FanoutFailures', 'FanoutSpreadInvocations'] },
    });

    this.url = webSocketStage.url;
    new CfnOutput(this, 'WebSocketUrl', { value: webSocketStage.url });
  }

  /**
   * The fan-out: DynamoDB Streams → Lambda → @connections. Filters keep Lambda from running for
   * records that cannot produce a message. Batches of up to 100 with no batching window, because a
   * phone should see a change within a second and an empty window costs nothing extra; a failing
   * record is bisected out, retried 3 times while younger than 5 minutes (older news is stale: clients
   * sync on reconnect), then sent to an encrypted, TLS-only DLQ. Two batches per shard run in
   * parallel; Lambda keeps the order of records with the same key, which is the order that matters.
   */
  private addStreamConsumer(fanout: IFunction, table: ITable): Queue {
    Validations.of(fanout).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: "The stream's event source mapping needs dynamodb:ListStreams, which has no resource-level permissions.",
    });

    const deadLetters = new Queue(this, 'FanoutDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    for (const id of ['AwsSolutions::AwsSolutions-SQS3', 'Serverless::Serverless-SQSRedrivePolicy', 'cdk-validator-cfnguard::sqs_dlq_check']) {
      Validations.of(deadLetters).acknowledge({ id, reason: 'This queue is itself the dead-letter destination of the stream consumer.' });
    }
    fanout.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: STREAM_MAPPING.batchSize,
        maxBatchingWindow: Duration.seconds(0),
        parallelizationFactor: STREAM_MAPPING.parallelizationFactor,
        bisectBatchOnError: true,
        retryAttempts: STREAM_MAPPING.retryAttempts,
        maxRecordAge: Duration.seconds(STREAM_MAPPING.maxRecordAgeSeconds),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(deadLetters),
        filters: streamFilterPatterns.map((pattern) => FilterCriteria.filter(pattern as unknown as Record<string, unknown>)),
      }),
    );
    return deadLetters;
  }

  /** Posting to and closing any connection of this stage's WebSocket API. */
  private allowManagingConnections(poster: IFunction, webSocketStage: WebSocketStage): void {
    const connections = `${this.formatArn({ service: 'execute-api', resource: webSocketStage.api.apiId })}/${webSocketStage.stageName}/*/@connections/*`;
    poster.addToRolePolicy(new PolicyStatement({ actions: ['execute-api:ManageConnections'], resources: [connections] }));
    acknowledgeFinding(
      poster,
      'AwsSolutions::AwsSolutions-IAM5',
      'Resource',
      connections,
      'Posting to and closing any connection of this WebSocket API stage is the fan-out’s job; connection ids are only known at run time.',
    );
  }
}
