import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  IdentitySource,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestAuthorizer,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { Operation } from 'aws-cdk-lib/aws-dynamodb';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { gatewayErrors } from '../shared/http/gateway-errors';
import type { GatewayError } from '../shared/http/gateway-errors';
import { authorizer, restFunctions, restRoutes } from '../shared/http/routes';
import type { FunctionSpec, RestFunctionName } from '../shared/http/routes';
import { ApiFunction, constructIdFor } from './constructs/api-function';
import { AvailabilityTimers } from './constructs/availability-timers';
import { FIVE_MINUTES, Monitoring } from './constructs/monitoring';
import { INVOKED_ONLY_BY_ITS_API, TRACING_OFF, acknowledgeManagedPolicy } from './constructs/nag';
import { stageLogGroup } from './constructs/stage-log-group';
import type { SiteUrls, StageConfig } from './stage-config';
import { corsHeaders } from '../shared/http/cors';

/** The paths that take secrets (PIN join, staff login), as WAF sees them after URL-decoding and lower-casing: any stage prefix, an optional trailing slash. */
export const SECRET_PATHS_PATTERN = '/v1/(sessions/join|staff/login)/?$';

export interface ApiStackProps extends StackProps {
  config: StageConfig;
  table: ITable;
  alarmTopic: ITopic;
  site: SiteUrls;
}

/** The contract's error body as a gateway response template; code and message may be VTL references. */
function errorTemplate(code: string, message: string, details: Record<string, unknown> = {}): string {
  return `{"error":{"code":"${code}","message":${message},"requestId":"$context.requestId","details":${JSON.stringify(details)}}}`;
}

/**
 * The REST API: routes from the manifest, all behind the REQUEST authorizer unless public, served by
 * one function per domain; the PIN key; WAF, access logs and alarms. The WebSocket API is the
 * realtime stack's, so neither stack nears CloudFormation's 500 resources.
 */
export class ApiStack extends Stack {
  /** The REST stage's base URL, which the web apps' config.json names. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, table } = props;

    const { corsOrigin } = props.site;

    // The key PINs are hashed with: outside the table, so a copy of the table does not reveal PINs.
    const pinKey = new Secret(this, 'PinKey', {
      description: `HMAC key for table-session PINs (${config.stage})`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(pinKey).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason: "Rotating the key would invalidate the PIN hashes of every live session; it never leaves Secrets Manager and the few functions that hash PINs.",
    });

    // Timed 86s: the menu function schedules them, the timer ends them.
    const timers = new AvailabilityTimers(this, 'AvailabilityTimers', { config, table, site: props.site });
    const newFunction = (spec: FunctionSpec, reservedConcurrency?: number): IFunction =>
      new ApiFunction(this, constructIdFor(spec.entry), {
        spec,
        table,
        config,
        site: props.site,
        pinKey,
        reservedConcurrency,
        environment: spec === restFunctions.menu ? timers.environment : {},
      }).function;
    const authorizerFunction = newFunction(authorizer);
    const functions = new Map(
      (Object.entries(restFunctions) as [RestFunctionName, FunctionSpec][]).map(([name, spec]) => [name, newFunction(spec, config.concurrency[name])]),
    );
    timers.grantScheduling(functions.get('menu') as IFunction);

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
        accessLogDestination: new LogGroupLogDestination(stageLogGroup(this, 'RestAccessLogs', config)),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        // Execution logs for errors only: request bodies (PINs, passwords) must never reach logs.
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        tracingEnabled: false,
      },
    });

    // Caching is off: a revoked token (logout, deleted staff, closed session) must fail on the very next request.
    const restAuthorizer = new RequestAuthorizer(this, 'RestAuthorizer', {
      handler: authorizerFunction,
      identitySources: [IdentitySource.header('Authorization')],
      resultsCacheTtl: Duration.seconds(0),
    });

    // The REST authorizer's invoke permission is made under the function.
    Validations.of(authorizerFunction).acknowledge({ id: 'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check', reason: INVOKED_ONLY_BY_ITS_API });
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
    acknowledgeManagedPolicy(
      api,
      'service-role/AmazonAPIGatewayPushToCloudWatchLogs',
      "API Gateway's account role for writing access logs uses AmazonAPIGatewayPushToCloudWatchLogs, its purpose-made managed policy.",
    );
    apiNag.acknowledge({ id: 'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check', reason: INVOKED_ONLY_BY_ITS_API });
    for (const id of ['Serverless::Serverless-APIGWXrayEnabled', 'cdk-validator-cfnguard::api_gw_xray_enabled_check']) apiNag.acknowledge({ id, reason: TRACING_OFF });
    if (!config.waf) {
      apiNag.acknowledge({
        id: 'AwsSolutions::AwsSolutions-APIG3',
        reason: `The ${config.stage} stage runs without AWS WAF (cost): the dev default, or this deployment's -c waf=false. Staging and prod have a web ACL by default.`,
      });
    }

    // One integration per function, hence one invoke permission scoped to this API rather than one per method:
    // a new route costs one resource, its method.
    const integrations = new Map([...functions].map(([name, fn]) => [name, new LambdaIntegration(fn, { scopePermissionToMethod: false })]));
    // Browsers may call the API only from the stage's guest ordering app. A preflight only where a
    // route is: path segments without methods (`/v1`, `…/kitchen/orders`) need none.
    const withPreflight = new Set<string>();
    for (const route of Object.values(restRoutes)) {
      const isPublic = (route.allow as readonly string[]).includes('PUBLIC');
      const integration = integrations.get(route.fn) as LambdaIntegration;
      const resource = api.root.resourceForPath(route.path);
      if (!withPreflight.has(route.path)) {
        withPreflight.add(route.path);
        resource.addCorsPreflight({
          allowOrigins: [corsOrigin],
          allowHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key'],
          allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
          maxAge: Duration.hours(1),
        });
      }
      resource
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
        responseHeaders: {
          ...Object.fromEntries(
            Object.entries({ 'Content-Type': 'application/json', ...corsHeaders(corsOrigin), ...error.headers }).map(
              ([name, value]) => [name, `'${value}'`],
            ),
          ),
          // The request id the body carries, in the header the handlers' answers carry it in.
          'X-Request-Id': 'context.requestId',
        },
        templates: { 'application/json': template },
      });
    }

    if (config.waf) this.addWebAcl(api, config.wafLimits);

    new Monitoring(this, 'Monitoring', {
      config,
      topic: props.alarmTopic,
      dashboard: 'api',
      functions: [authorizerFunction, ...functions.values(), timers.function],
      alarms: [
        {
          name: 'Rest5xxRate',
          metric: api.metricServerError({ statistic: 'Average', period: FIVE_MINUTES }),
          threshold: config.alarms.rest5xxRate,
          description: 'Share of REST requests answered with a 5XX over 5 minutes.',
        },
        {
          name: 'PlaceOrderP99Latency',
          metric: (functions.get('orders') as IFunction).metricDuration({ statistic: 'p99', period: FIVE_MINUTES }),
          threshold: config.alarms.placeOrderP99Ms,
          description: 'p99 duration of order placement (ms).',
        },
        {
          name: 'DynamoDbThrottles',
          metric: table.metricThrottledRequestsForOperations({
            operations: [Operation.GET_ITEM, Operation.QUERY, Operation.UPDATE_ITEM, Operation.PUT_ITEM, Operation.TRANSACT_WRITE_ITEMS, Operation.BATCH_GET_ITEM],
            period: FIVE_MINUTES,
          }),
          threshold: 0,
          description: 'DynamoDB throttled requests.',
        },
        {
          name: 'AvailabilityTimerFailures',
          metric: timers.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
          threshold: 0,
          description: 'Timed 86s whose end failed: those items stay unavailable until someone sets them available.',
        },
      ],
      businessMetrics: {
        Orders: ['OrdersPlaced', 'OrderPlacementFailed'],
        'Guessing and lockouts': ['PinFailures', 'PinBlocks', 'LoginBlocks'],
      },
    });

    this.url = api.url;
    new CfnOutput(this, 'RestApiUrl', { value: api.url });
  }

  /**
   * AWS WAF in front of the REST stage: AWS's common rule set (which also caps bodies at 8 KB,
   * far above any request of this API); a per-IP rate limit on every route; and a stricter one on
   * the two endpoints that take secrets, joining with a PIN and staff login, on top of their own
   * lockouts. Their paths are matched after URL-decoding and lower-casing, with or without a
   * trailing slash. A rate block is answered like the API's own throttling: 429 RATE_LIMITED in the
   * contract's error shape, with Retry-After (the rule's evaluation window).
   */
  private addWebAcl(api: RestApi, limits: StageConfig['wafLimits']) {
    const window = 300;
    const secretPaths = {
      regexMatchStatement: {
        fieldToMatch: { uriPath: {} },
        regexString: SECRET_PATHS_PATTERN,
        textTransformations: [
          { priority: 0, type: 'URL_DECODE' },
          { priority: 1, type: 'LOWERCASE' },
        ],
      },
    };
    const rateLimited = {
      block: {
        customResponse: {
          responseCode: 429,
          customResponseBodyKey: 'rateLimited',
          responseHeaders: [{ name: 'Retry-After', value: String(window) }],
        },
      },
    };
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    const acl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('qr-ordering-rest'),
      customResponseBodies: {
        rateLimited: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            error: {
              code: 'RATE_LIMITED',
              message: 'Too many requests from your network. Slow down.',
              requestId: 'waf',
              details: { retryAfterSeconds: window },
            },
          }),
        },
      },
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
          action: rateLimited,
          statement: { rateBasedStatement: { limit: limits.secretPathsPer5Min, evaluationWindowSec: window, aggregateKeyType: 'IP', scopeDownStatement: secretPaths } },
          visibilityConfig: visibility('secret-endpoints-rate-limit'),
        },
        {
          name: 'PerIpRateLimit',
          priority: 2,
          action: rateLimited,
          statement: { rateBasedStatement: { limit: limits.everyRoutePer5Min, evaluationWindowSec: window, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('per-ip-rate-limit'),
        },
      ],
    });
    new CfnWebACLAssociation(this, 'WebAclAssociation', { resourceArn: api.deploymentStage.stageArn, webAclArn: acl.attrArn });
  }
}
