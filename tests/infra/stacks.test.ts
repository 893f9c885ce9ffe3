import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { constructIdFor } from '../../lib/constructs/api-function';
import { buildStage, createOrderingApp } from '../../lib/ordering-app';
import { STAGE_NAMES, stages } from '../../lib/stage-config';
import { gatewayErrors } from '../../shared/http/gateway-errors';
import { authorizer, restRoutes, streamConsumer, webSocketRoutes } from '../../shared/http/routes';
import { streamFilterPatterns } from '../../shared/realtime/stream-filters';

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- CloudFormation JSON

/** Real synthesis of one stage; asset bundling is skipped (it is exercised by `npm run synth`). */
function synthesize(stage: (typeof STAGE_NAMES)[number]) {
  const app = createOrderingApp({ context: { stage, 'aws:cdk:bundling-stacks': [] } });
  const { data, api } = buildStage(app, stages[stage], {});
  return { data: Template.fromStack(data), api: Template.fromStack(api) };
}

/** Rebuilds "METHOD /path" for every REST method from the Resource tree of the template. */
function restMethods(resources: Resources) {
  const pathOf = (ref: { Ref?: string; 'Fn::GetAtt'?: string[] }): string => {
    if (!ref.Ref) return ''; // Fn::GetAtt RootResourceId: the root
    const resource = resources[ref.Ref];
    if (!resource) throw new Error(`unknown resource ${ref.Ref}`);
    return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
  };
  return Object.values(resources)
    .filter((resource) => resource.Type === 'AWS::ApiGateway::Method' && resource.Properties.HttpMethod !== 'OPTIONS')
    .map(({ Properties }) => ({
      route: `${Properties.HttpMethod} ${pathOf(Properties.ResourceId)}`,
      authorizationType: Properties.AuthorizationType as string,
      authorizerId: Properties.AuthorizerId,
    }));
}

describe.each(STAGE_NAMES)('stage %s', (stage) => {
  const config = stages[stage];
  const { data, api } = synthesize(stage);
  const apiResources = api.toJSON().Resources as Resources;

  it('has the single table: on demand, stream with both images, TTL, the shared GSIs', () => {
    data.resourceCountIs('AWS::DynamoDB::Table', 1);
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'gsi1', Projection: { ProjectionType: 'ALL' } })],
    });
  });

  it('protects the data as the stage says (prod: PITR, deletion protection, RETAIN)', () => {
    data.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: config.retainData ? 'Retain' : 'Delete',
      UpdateReplacePolicy: config.retainData ? 'Retain' : 'Delete',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: config.pointInTimeRecovery },
        DeletionProtectionEnabled: config.deletionProtection,
      }),
    });
    if (stage === 'prod') {
      expect(config).toMatchObject({ retainData: true, pointInTimeRecovery: true, deletionProtection: true });
    }
    if (stage === 'dev') expect(config.retainData).toBe(false);
  });

  it('runs every function on nodejs24.x/arm64 with its own log group and the stage retention', () => {
    const functions = Object.entries(apiResources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    const handlers = new Set([
      authorizer.handler,
      streamConsumer.handler,
      ...Object.values(restRoutes).map((r) => r.handler),
      ...Object.values(webSocketRoutes).map((r) => r.handler),
    ]);
    expect(functions).toHaveLength(handlers.size);
    for (const [, fn] of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      const logGroup = apiResources[fn.Properties.LoggingConfig.LogGroup.Ref];
      expect(logGroup?.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup?.Properties.RetentionInDays).toBe(config.logRetentionDays);
      expect(fn.Properties.Environment.Variables).toMatchObject({ STAGE: stage, TABLE_NAME: expect.anything() });
    }
  });

  it('exposes exactly the manifest routes, each behind the authorizer unless public', () => {
    const methods = restMethods(apiResources);
    const expected = Object.values(restRoutes).map((r) => `${r.method} ${r.path}`);
    expect(methods.map((m) => m.route).sort()).toEqual([...expected].sort());
    for (const route of Object.values(restRoutes)) {
      const method = methods.find((m) => m.route === `${route.method} ${route.path}`);
      if ((route.allow as readonly string[]).includes('PUBLIC')) {
        expect(method?.authorizationType).toBe('NONE');
      } else {
        expect(method?.authorizationType).toBe('CUSTOM');
        expect(method?.authorizerId).toBeDefined();
      }
    }
  });

  it('uses one uncached REQUEST authorizer, so a revoked token fails on the next request', () => {
    api.resourceCountIs('AWS::ApiGateway::Authorizer', 1);
    api.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      AuthorizerResultTtlInSeconds: 0,
      IdentitySource: 'method.request.header.Authorization',
    });
    api.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$connect', AuthorizationType: 'CUSTOM' });
  });

  it("answers API Gateway's own errors in the contract's error shape", () => {
    for (const [type, error] of Object.entries(gatewayErrors)) {
      api.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        ...('status' in error ? { StatusCode: String(error.status) } : {}),
        ResponseTemplates: {
          'application/json': Match.stringLikeRegexp(
            type === 'ACCESS_DENIED' ? '"code":"\\$context.authorizer.errorCode"' : `"code":"${error.code}".*"requestId":"\\$context.requestId"`,
          ),
        },
      });
    }
  });

  it('throttles the REST stage with the stage values', () => {
    api.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: stage,
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          ThrottlingRateLimit: config.restThrottle.rateLimit,
          ThrottlingBurstLimit: config.restThrottle.burstLimit,
        }),
      ]),
    });
  });

  it('lets only the functions that hash PINs read the PIN key secret', () => {
    api.resourceCountIs('AWS::SecretsManager::Secret', 1);
    const routes = Object.values(restRoutes);
    for (const route of routes) {
      const prefix = `${constructIdFor(route.handler)}FunctionServiceRoleDefaultPolicy`;
      const policy = Object.entries(apiResources).find(([id, r]) => id.startsWith(prefix) && r.Type === 'AWS::IAM::Policy');
      const readsSecret = JSON.stringify(policy?.[1].Properties.PolicyDocument ?? {}).includes('secretsmanager:GetSecretValue');
      expect(readsSecret, route.handler).toBe('pinKey' in route && route.pinKey === true);
    }
  });

  it('has exactly the manifest WebSocket routes, the authorizer on $connect and stage throttling', () => {
    const routes = Object.values(apiResources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(Object.keys(webSocketRoutes).sort());
    for (const route of routes) {
      expect(route.Properties.AuthorizationType ?? 'NONE').toBe(route.Properties.RouteKey === '$connect' ? 'CUSTOM' : 'NONE');
    }
    const twoWay = Object.entries(webSocketRoutes).filter(([, r]) => 'returnResponse' in r && r.returnResponse).map(([key]) => key);
    api.resourceCountIs('AWS::ApiGatewayV2::RouteResponse', twoWay.length);
    api.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' });
    api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: Match.objectLike({
        ThrottlingRateLimit: config.webSocketThrottle.rateLimit,
        ThrottlingBurstLimit: config.webSocketThrottle.burstLimit,
      }),
    });
  });

  it('feeds the fan-out from the stream with filters, bisection, bounded retries, partial failures and a DLQ', () => {
    api.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'LATEST',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 300,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: streamFilterPatterns.map((pattern) => ({ Pattern: JSON.stringify(pattern) })) },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    api.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    api.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets only the fan-out manage connections, and only on this WebSocket API', () => {
    const policies = Object.entries(apiResources).filter(([, r]) => r.Type === 'AWS::IAM::Policy');
    const managing = policies.filter(([, r]) => JSON.stringify(r.Properties.PolicyDocument).includes('execute-api:ManageConnections'));
    expect(managing.map(([id]) => id)).toEqual([expect.stringMatching(/^StreamsFanoutFunctionServiceRoleDefaultPolicy/)]);
    const statement = JSON.stringify(managing[0]?.[1].Properties.PolicyDocument);
    expect(statement).toContain('WebSocketApi');
    expect(statement).toContain('@connections');
  });

  it('puts AWS WAF (common rules, rate limit on join and login) in front of REST in staging and prod only', () => {
    api.resourceCountIs('AWS::WAFv2::WebACL', config.waf ? 1 : 0);
    api.resourceCountIs('AWS::WAFv2::WebACLAssociation', config.waf ? 1 : 0);
    expect(config.waf).toBe(stage !== 'dev');
    if (!config.waf) return;
    const acl = JSON.stringify(api.findResources('AWS::WAFv2::WebACL'));
    expect(acl).toContain('AWSManagedRulesCommonRuleSet');
    expect(acl).toContain('/v1/sessions/join');
    expect(acl).toContain('/v1/staff/login');
    api.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
    });
  });

  it('allows CORS only from the guest ordering origin, everywhere', () => {
    const origin = new URL(config.guestOrderingUrl).origin;
    const preflights = Object.values(apiResources).filter((r) => r.Type === 'AWS::ApiGateway::Method' && r.Properties.HttpMethod === 'OPTIONS');
    expect(preflights.length).toBeGreaterThan(0);
    for (const preflight of preflights) {
      expect(JSON.stringify(preflight.Properties.Integration.IntegrationResponses)).toContain(`'${origin}'`);
    }
    for (const [, fn] of Object.entries(apiResources).filter(([, r]) => r.Type === 'AWS::Lambda::Function')) {
      expect(fn.Properties.Environment.Variables.CORS_ORIGIN).toBe(origin);
    }
  });

  it('writes JSON access logs for both APIs, kept as long as the stage keeps logs', () => {
    const logGroupOf = (arn: { 'Fn::GetAtt': string[] }) => apiResources[arn['Fn::GetAtt'][0] as string];
    const rest = Object.values(apiResources).find((r) => r.Type === 'AWS::ApiGateway::Stage');
    expect(JSON.parse(rest?.Properties.AccessLogSetting.Format)).toMatchObject({ requestId: '$context.requestId' });
    expect(logGroupOf(rest?.Properties.AccessLogSetting.DestinationArn)?.Properties.RetentionInDays).toBe(config.logRetentionDays);
    const ws = Object.values(apiResources).find((r) => r.Type === 'AWS::ApiGatewayV2::Stage');
    expect(JSON.parse(ws?.Properties.AccessLogSettings.Format)).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey' });
    expect(logGroupOf(ws?.Properties.AccessLogSettings.DestinationArn)?.Properties.RetentionInDays).toBe(config.logRetentionDays);
  });

  it('pages through SNS on 5XX rate, Lambda errors and throttles, placement p99, iterator age, DLQ, DynamoDB throttles, WebSocket errors', () => {
    const alarms = Object.values(apiResources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    const byName = (suffix: string) => alarms.find((a) => String(a.Properties.AlarmName).endsWith(suffix))?.Properties;
    expect(byName('Rest5xxRate')).toMatchObject({ MetricName: '5XXError', Statistic: 'Average', Threshold: config.alarms.rest5xxRate });
    expect(byName('PlaceOrderP99Latency')).toMatchObject({ MetricName: 'Duration', ExtendedStatistic: 'p99', Threshold: config.alarms.placeOrderP99Ms });
    expect(byName('FanoutIteratorAge')).toMatchObject({ MetricName: 'IteratorAge', Threshold: 60_000 });
    expect(byName('FanoutDeadLetters')).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0 });
    expect(byName('WebSocketExecutionErrors')).toMatchObject({ MetricName: 'ExecutionError', Threshold: 0 });
    expect(byName('DynamoDbThrottles')).toMatchObject({ Threshold: 0 });
    const functionCount = Object.values(apiResources).filter((r) => r.Type === 'AWS::Lambda::Function').length;
    const covered = alarms
      .filter((a) => /LambdaErrors\d+$/.test(String(a.Properties.AlarmName)))
      .flatMap((a) => a.Properties.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat));
    expect(covered).toHaveLength(functionCount);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^MonitoringAlarms/) }]);
    api.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    api.resourceCountIs('AWS::SNS::Subscription', config.alarmEmail ? 1 : 0);
  });

  it('grants read-only functions no write access to the table', () => {
    const readOnly = [authorizer, ...Object.values(restRoutes)].filter((r) => r.table === 'read');
    for (const route of readOnly) {
      const prefix = `${constructIdFor(route.handler)}FunctionServiceRoleDefaultPolicy`;
      const policy = Object.entries(apiResources).find(([id, r]) => id.startsWith(prefix) && r.Type === 'AWS::IAM::Policy');
      expect(policy, prefix).toBeDefined();
      const actions = JSON.stringify(policy?.[1].Properties.PolicyDocument);
      expect(actions).toContain('dynamodb:GetItem');
      expect(actions).not.toMatch(/PutItem|UpdateItem|DeleteItem|BatchWriteItem/);
    }
  });
});
