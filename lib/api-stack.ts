import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  LogGroupLogDestination,
  MethodLoggingLevel,
  EndpointType,
  IdentitySource,
  LambdaIntegration,
  RequestAuthorizer,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { CfnStage} from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { gatewayErrors } from '../shared/http/gateway-errors';
import type { GatewayError } from '../shared/http/gateway-errors';
import { authorizer, restRoutes, streamConsumer, webSocketRoutes } from '../shared/http/routes';
import type { WebSocketRoute } from '../shared/http/routes';
import { streamFilterPatterns } from '../shared/realtime/stream-filters';
import { ApiFunction, constructIdFor } from './constructs/api-function';
import { Monitoring } from './constructs/monitoring';
import { acknowledgeFinding } from './constructs/nag';
import { stageLogGroup } from './constructs/stage-log-group';
import type { StageConfig } from './stage-config';

export interface ApiStackProps extends StackProps {
  config: StageConfig;
  table: ITable;
}

/** The contract's error body as a gateway response template; code and message may be VTL references. */
function errorTemplate(code: string, message: string, details: Record<string, unknown> = {}): string {
  return `{"error":{"code":"${code}","message":${message},"requestId":"$context.requestId","details":${JSON.stringify(details)}}}`;
}

/** Control Tower's rule reads only a literal or local `SourceArn`; the CDK builds it with `Fn::Join` from the API's id. */
const invokedOnlyByThisApi =
  "Each permission lets only apigateway.amazonaws.com invoke, with a SourceArn scoped to this API's own ARN; the rule misreads a SourceArn built with Fn::Join.";

/**
 * REST API (routes from the manifest, all behind the REQUEST authorizer unless public), the
 * WebSocket API with the same authorizer on `$connect`, and every function behind them.
 */
export class ApiStack extends Stack {
  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, table } = props;

    const corsOrigin = new URL(config.guestOrderingUrl).origin;

    // The key PINs are hashed with: outside the table, so a copy of the table does not reveal PINs.
    const pinKey = new Secret(this, 'PinKey', {
      description: `HMAC key for table-session PINs (${config.stage})`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(pinKey).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason: "Rotating the key would invalidate the PIN hashes of every live session; it never leaves Secrets Manager and the few functions that hash PINs.",
    });

    const functions = new Map<string, IFunction>();
    const functionFor = (entry: string, tableAccess: 'none' | 'read' | 'readWrite', readsPinKey = false): IFunction => {
      let fn = functions.get(entry);
      if (!fn) {
        fn = new ApiFunction(this, constructIdFor(entry), {
          entry,
          table,
          tableAccess,
          config,
          environment: { PIN_KEY_SECRET_ARN: pinKey.secretArn },
        }).function;
        functions.set(entry, fn);
      }
      if (readsPinKey) pinKey.grantRead(fn);
      return fn;
    };

    const authorizerFunction = functionFor(authorizer.handler, authorizer.table);

    const accessLogs = (name: string) => stageLogGroup(this, name, config);
    const api = new RestApi(this, 'RestApi', {
      restApiName: `qr-ordering-${config.stage}`,
      description: `QR table ordering REST API (${config.stage})`,
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // Access logging needs the account's API Gateway CloudWatch role; keep it when a stage goes.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: config.stage,
        throttlingRateLimit: config.restThrottle.rateLimit,
        throttlingBurstLimit: config.restThrottle.burstLimit,
        accessLogDestination: new LogGroupLogDestination(accessLogs('RestAccessLogs')),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        // Execution logs for errors only: request bodies (PINs, passwords) must never reach logs.
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        tracingEnabled: true,
      },
      // Browsers may call the API only from the stage's guest ordering app.
      defaultCorsPreflightOptions: {
        allowOrigins: [corsOrigin],
        allowHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key'],
        allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
        maxAge: Duration.hours(1),
      },
    });

    // Caching is off: a revoked token (logout, deleted staff, closed session) must fail on the very next request.
    const restAuthorizer = new RequestAuthorizer(this, 'RestAuthorizer', {
      handler: authorizerFunction,
      identitySources: [IdentitySource.header('Authorization')],
      resultsCacheTtl: Duration.seconds(0),
    });

    // The REST authorizer's invoke permission is made under the function.
    Validations.of(authorizerFunction).acknowledge({ id: 'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check', reason: invokedOnlyByThisApi });
    const apiNag = Validations.of(api);
    apiNag.acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG4',
      reason: 'Staff and guest tokens are checked by the Lambda REQUEST authorizer; there are no Cognito user pools.',
    });
    apiNag.acknowledge({
      id: 'AwsSolutions::AwsSolutions-APIG4',
      reason:
        'Only the routes the contract makes public (login, join, public menu, table code, OpenAPI) and the CORS preflights have no authorizer; an infra test checks every other route uses it.',
    });
    apiNag.acknowledge({
      id: 'AwsSolutions::AwsSolutions-APIG2',
      reason: "Each handler validates its request with zod (the schemas that also produce the OpenAPI document), so failures get the contract's error body.",
    });
    acknowledgeFinding(
      api,
      'AwsSolutions::AwsSolutions-IAM4',
      'Policy',
      ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs').managedPolicyArn,
      "API Gateway's account role for writing access logs uses AmazonAPIGatewayPushToCloudWatchLogs, its purpose-made managed policy.",
    );
    apiNag.acknowledge({ id: 'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check', reason: invokedOnlyByThisApi });
    if (!config.waf) {
      apiNag.acknowledge({
        id: 'AwsSolutions::AwsSolutions-APIG3',
        reason: 'dev is a developer stage without AWS WAF (cost); staging and prod have a web ACL.',
      });
    }

    for (const route of Object.values(restRoutes)) {
      const isPublic = (route.allow as readonly string[]).includes('PUBLIC');
      const fn = functionFor(route.handler, route.table, 'pinKey' in route && route.pinKey);
      const integration = new LambdaIntegration(fn, { allowTestInvoke: false });
      api.root
        .resourceForPath(route.path)
        .addMethod(
          route.method,
          integration,
          isPublic
            ? { authorizationType: AuthorizationType.NONE }
            : { authorizationType: AuthorizationType.CUSTOM, authorizer: restAuthorizer },
        );
    }

    for (const [type, error] of Object.entries(gatewayErrors) as [keyof typeof gatewayErrors, GatewayError][]) {
      const template =
        type === 'ACCESS_DENIED'
          ? errorTemplate('$context.authorizer.errorCode', '"$context.authorizer.errorMessage"')
          : type === 'DEFAULT_4XX'
            ? errorTemplate(error.code, '$context.error.messageString')
            : errorTemplate(error.code, JSON.stringify(error.message), error.details);
      api.addGatewayResponse(`Gateway${type}`, {
        type: ResponseType.of(type),
        statusCode: error.status === undefined ? undefined : String(error.status),
        responseHeaders: Object.fromEntries(
          Object.entries({ 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': corsOrigin, ...error.headers }).map(
            ([name, value]) => [name, `'${value}'`],
          ),
        ),
        templates: { 'application/json': template },
      });
    }

    const { $connect, $disconnect, $default, ...messageRoutes } = webSocketRoutes;
    const wsIntegration = (name: string, route: WebSocketRoute) =>
      new WebSocketLambdaIntegration(`Ws${name}`, functionFor(route.handler, route.table));
    const webSocketApi = new WebSocketApi(this, 'WebSocketApi', {
      apiName: `qr-ordering-ws-${config.stage}`,
      routeSelectionExpression: '$request.body.action',
      connectRouteOptions: {
        integration: wsIntegration('Connect', $connect),
        // No identity source: the token may be in ?token= (browsers) or the Authorization header, and
        // WebSocket authorizers do not cache, so the authorizer itself reads whichever is there.
        authorizer: new WebSocketLambdaAuthorizer('WebSocketAuthorizer', authorizerFunction, { identitySource: [] }),
      },
      disconnectRouteOptions: { integration: wsIntegration('Disconnect', $disconnect) },
      defaultRouteOptions: { integration: wsIntegration('Default', $default), returnResponse: $default.returnResponse },
    });
    for (const [action, route] of Object.entries(messageRoutes)) {
      webSocketApi.addRoute(action, { integration: wsIntegration(action, route), returnResponse: route.returnResponse });
    }
    Validations.of(webSocketApi).acknowledge({ id: 'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check', reason: invokedOnlyByThisApi });
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
    const webSocketAccessLogs = accessLogs('WebSocketAccessLogs');
    (webSocketStage.node.defaultChild as CfnStage).accessLogSettings = {
      destinationArn: webSocketAccessLogs.logGroupArn,
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

    const { fanout, deadLetters } = this.addStreamConsumer(functionFor, table, webSocketStage);
    if (config.waf) this.addWebAcl(api);

    new Monitoring(this, 'Monitoring', {
      config,
      restApi: api,
      webSocketStage,
      functions: [...functions.values()],
      placeOrderFunction: functions.get(restRoutes.placeOrder.handler) as IFunction,
      fanoutFunction: fanout,
      deadLetters,
      table,
    });

    new CfnOutput(this, 'RestApiUrl', { value: api.url });
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
  private addStreamConsumer(
    functionFor: (entry: string, tableAccess: 'none' | 'read' | 'readWrite') => IFunction,
    table: ITable,
    webSocketStage: WebSocketStage,
  ): { fanout: IFunction; deadLetters: Queue } {
    const fanout = functionFor(streamConsumer.handler, streamConsumer.table) as NodejsFunction;
    fanout.addEnvironment('WEBSOCKET_ENDPOINT', webSocketStage.callbackUrl);
    const connections = `${this.formatArn({ service: 'execute-api', resource: webSocketStage.api.apiId })}/${webSocketStage.stageName}/*/@connections/*`;
    fanout.addToRolePolicy(new PolicyStatement({ actions: ['execute-api:ManageConnections'], resources: [connections] }));
    acknowledgeFinding(
      fanout,
      'AwsSolutions::AwsSolutions-IAM5',
      'Resource',
      connections,
      'Posting to and closing any connection of this WebSocket API stage is the fan-out’s job; connection ids are only known at run time.',
    );

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
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(0),
        parallelizationFactor: 2,
        bisectBatchOnError: true,
        retryAttempts: 3,
        maxRecordAge: Duration.minutes(5),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(deadLetters),
        filters: streamFilterPatterns.map((pattern) => FilterCriteria.filter(pattern as unknown as Record<string, unknown>)),
      }),
    );
    return { fanout, deadLetters };
  }

  /**
   * AWS WAF in front of the REST stage: AWS's common rule set (which also caps bodies at 8 KB,
   * far above any request of this API), and a per-IP rate limit on the two endpoints that take
   * secrets, joining with a PIN and staff login, on top of their own lockouts.
   */
  private addWebAcl(api: RestApi) {
    const secretPaths = ['/v1/sessions/join', '/v1/staff/login'].map((path) => ({
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'ENDS_WITH',
        searchString: path,
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    }));
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    const acl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('qr-ordering-rest'),
      rules: [
        {
          name: 'AwsCommonRules',
          priority: 0,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
          visibilityConfig: visibility('aws-common-rules'),
        },
        {
          name: 'SecretEndpointsRateLimit',
          priority: 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: 100,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
              scopeDownStatement: { orStatement: { statements: secretPaths } },
            },
          },
          visibilityConfig: visibility('secret-endpoints-rate-limit'),
        },
      ],
    });
    new CfnWebACLAssociation(this, 'WebAclAssociation', { resourceArn: api.deploymentStage.stageArn, webAclArn: acl.attrArn });
  }
}
