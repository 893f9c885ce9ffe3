import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { constructIdFor } from '../../lib/constructs/api-function';
import { buildStage, createOrderingApp } from '../../lib/ordering-app';
import { STAGE_NAMES, resolveStageConfig, stages } from '../../lib/stage-config';
import { EnvSchema } from '../../shared/config/env';
import { gatewayErrors } from '../../shared/http/gateway-errors';
import { authorizer, lambdaFunctions, restFunctions, restRoutes, webSocketRoutes } from '../../shared/http/routes';
import { streamFilterPatterns } from '../../shared/realtime/stream-filters';
import { HSTS_SECONDS, SPA_ROUTING_FUNCTION } from '../../lib/web-security-headers';

/**
 * Each stack stays well inside CloudFormation's 500 resources, with room for this many more REST
 * routes. The REST stack is the largest (its methods and paths); past this budget its routes move
 * into nested stacks of their own, which gives them the whole 500 again.
 */
const RESOURCE_BUDGET = 400;
const ROUTE_HEADROOM = 30;

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- CloudFormation JSON

/** Real synthesis of one stage with the given CDK context, as bin/app.ts does; asset bundling is skipped (`npm run synth` does it). */
function synthesize(stage: (typeof STAGE_NAMES)[number], context: Record<string, string> = {}) {
  const app = createOrderingApp({ context: { stage, 'aws:cdk:bundling-stacks': [], ...context } });
  const { data, web, api, realtime, webContent } = buildStage(app, resolveStageConfig((key) => app.node.tryGetContext(key)), {});
  return {
    data: Template.fromStack(data),
    web: Template.fromStack(web),
    api: Template.fromStack(api),
    realtime: Template.fromStack(realtime),
    webContent: Template.fromStack(webContent),
  };
}

const resourcesOf = (template: Template) => template.toJSON().Resources as Resources;
const variablesOf = (resources: Resources) =>
  Object.values(resources)
    .filter((r) => r.Type === 'AWS::Lambda::Function')
    .map((fn) => fn.Properties.Environment.Variables as Record<string, unknown>);
const preflightsOf = (resources: Resources) =>
  Object.values(resources).filter((r) => r.Type === 'AWS::ApiGateway::Method' && r.Properties.HttpMethod === 'OPTIONS');

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
  const { data, web, api, realtime, webContent } = synthesize(stage);
  const apiResources = api.toJSON().Resources as Resources;
  const realtimeResources = realtime.toJSON().Resources as Resources;
  const stacks = [apiResources, realtimeResources];
  // Both API stacks have an authorizer function with the same logical id: look resources up per stack.
  const allOf = (type: string) => stacks.flatMap((resources) => Object.entries(resources).filter(([, r]) => r.Type === type));
  const functionsOf = (resources: Resources) => Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
  const policyOf = (resources: Resources, entry: string) =>
    Object.entries(resources).find(([id, r]) => id.startsWith(`${constructIdFor(entry)}FunctionServiceRoleDefaultPolicy`) && r.Type === 'AWS::IAM::Policy')?.[1];

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
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: 'gsi1', Projection: { ProjectionType: 'ALL' } }),
        Match.objectLike({ IndexName: 'gsi2', Projection: { ProjectionType: 'KEYS_ONLY' } }),
      ],
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
    // One function per manifest entry; each API stack has its own authorizer.
    expect(allOf('AWS::Lambda::Function')).toHaveLength(lambdaFunctions.length + 1);
    for (const [resources, fn] of stacks.flatMap((resources) => functionsOf(resources).map(([, fn]) => [resources, fn] as const))) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      const logGroup = resources[fn.Properties.LoggingConfig.LogGroup.Ref];
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
    realtime.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$connect', AuthorizationType: 'CUSTOM' });
  });

  it("answers API Gateway's own errors in the contract's error shape", () => {
    for (const [type, error] of Object.entries(gatewayErrors)) {
      api.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        ...('status' in error ? { StatusCode: String(error.status) } : {}),
        ResponseParameters: Match.objectLike({ 'gatewayresponse.header.X-Request-Id': 'context.requestId' }),
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

  it('lets only the functions that hash PINs read the PIN key secret, and tells only them where it is', () => {
    api.resourceCountIs('AWS::SecretsManager::Secret', 1);
    realtime.resourceCountIs('AWS::SecretsManager::Secret', 0);
    for (const spec of Object.values(restFunctions)) {
      const readsSecret = JSON.stringify(policyOf(apiResources, spec.entry)?.Properties.PolicyDocument ?? {}).includes('secretsmanager:GetSecretValue');
      const pinKey = 'pinKey' in spec && spec.pinKey === true;
      expect(readsSecret, spec.entry).toBe(pinKey);
      const fn = functionsOf(apiResources).find(([id]) => id.startsWith(`${constructIdFor(spec.entry)}Function`))?.[1];
      expect('PIN_KEY_SECRET_ARN' in (fn?.Properties.Environment.Variables ?? {}), spec.entry).toBe(pinKey);
    }
  });

  it('gives each REST function one invoke permission, scoped to this API', () => {
    const permissions = Object.values(apiResources).filter((r) => r.Type === 'AWS::Lambda::Permission');
    // One per REST function and one for the authorizer.
    expect(permissions).toHaveLength(Object.keys(restFunctions).length + 1);
    for (const permission of permissions) {
      expect(permission.Properties.Principal).toBe('apigateway.amazonaws.com');
      expect(JSON.stringify(permission.Properties.SourceArn)).toContain('RestApi');
    }
  });

  it('has exactly the manifest WebSocket routes, the authorizer on $connect and stage throttling', () => {
    const routes = Object.values(realtimeResources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(Object.keys(webSocketRoutes).sort());
    for (const route of routes) {
      expect(route.Properties.AuthorizationType ?? 'NONE').toBe(route.Properties.RouteKey === '$connect' ? 'CUSTOM' : 'NONE');
    }
    const twoWay = Object.entries(webSocketRoutes).filter(([, r]) => 'returnResponse' in r && r.returnResponse).map(([key]) => key);
    realtime.resourceCountIs('AWS::ApiGatewayV2::RouteResponse', twoWay.length);
    realtime.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' });
    realtime.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: Match.objectLike({
        ThrottlingRateLimit: config.webSocketThrottle.rateLimit,
        ThrottlingBurstLimit: config.webSocketThrottle.burstLimit,
      }),
    });
  });

  it('feeds the fan-out from the stream with filters, bisection, bounded retries, partial failures and a DLQ', () => {
    realtime.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'LATEST',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 300,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: streamFilterPatterns.map((pattern) => ({ Pattern: JSON.stringify(pattern) })) },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    realtime.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    realtime.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets only the fan-out and its delivery function manage connections, only on this WebSocket API, and only the fan-out invoke the delivery function', () => {
    const policies = allOf('AWS::IAM::Policy');
    const managing = policies.filter(([, r]) => JSON.stringify(r.Properties.PolicyDocument).includes('execute-api:ManageConnections'));
    expect(managing.map(([id]) => id).sort()).toEqual([
      expect.stringMatching(/^StreamsDeliverFunctionServiceRoleDefaultPolicy/),
      expect.stringMatching(/^StreamsFanoutFunctionServiceRoleDefaultPolicy/),
    ]);
    for (const [, policy] of managing) {
      const statement = JSON.stringify(policy.Properties.PolicyDocument);
      expect(statement).toContain('WebSocketApi');
      expect(statement).toContain('@connections');
    }
    const invoking = policies.filter(([, r]) => JSON.stringify(r.Properties.PolicyDocument).includes('lambda:InvokeFunction') && JSON.stringify(r.Properties.PolicyDocument).includes('StreamsDeliver'));
    expect(invoking.map(([id]) => id)).toEqual([expect.stringMatching(/^StreamsFanoutFunctionServiceRoleDefaultPolicy/)]);
    const fanoutStatements = invoking[0]?.[1].Properties.PolicyDocument.Statement as { Action: string; Resource: unknown }[];
    expect(fanoutStatements.find((statement) => statement.Action === 'lambda:InvokeFunction')?.Resource).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^StreamsDeliverFunction/), 'Arn'],
    });
  });

  it('puts AWS WAF in front of REST in staging and prod: common rules, a per-IP limit on every route, a stricter one on join and login', () => {
    api.resourceCountIs('AWS::WAFv2::WebACL', config.waf ? 1 : 0);
    api.resourceCountIs('AWS::WAFv2::WebACLAssociation', config.waf ? 1 : 0);
    expect(config.waf).toBe(stage !== 'dev');
    if (!config.waf) return;
    const [acl] = Object.values(api.findResources('AWS::WAFv2::WebACL')) as Resources[string][];
    const rules = Object.fromEntries(acl?.Properties.Rules.map((rule: { Name: string }) => [rule.Name, rule]));
    expect(Object.keys(rules).sort()).toEqual(['AwsCommonRules', 'PerIpRateLimit', 'SecretEndpointsRateLimit']);
    expect(rules.AwsCommonRules.Statement.ManagedRuleGroupStatement.Name).toBe('AWSManagedRulesCommonRuleSet');

    const everyRoute = rules.PerIpRateLimit.Statement.RateBasedStatement;
    expect(everyRoute).toEqual({ Limit: config.wafLimits.everyRoutePer5Min, EvaluationWindowSec: 300, AggregateKeyType: 'IP' });
    const secret = rules.SecretEndpointsRateLimit.Statement.RateBasedStatement;
    expect(secret.Limit).toBe(config.wafLimits.secretPathsPer5Min);
    const match = secret.ScopeDownStatement.RegexMatchStatement;
    expect(match.TextTransformations.map((t: { Type: string }) => t.Type)).toEqual(['URL_DECODE', 'LOWERCASE']);
    // What the rule sees of a path (stage prefix included, decoded and lower-cased) against what it must catch.
    const pattern = new RegExp(match.RegexString);
    for (const path of ['/prod/v1/sessions/join', '/prod/v1/sessions/join/', '/staging/v1/staff/login', '/v1/staff/login/']) expect(path, path).toMatch(pattern);
    for (const path of ['/prod/v1/sessions/joined', '/prod/v1/session', '/prod/v1/staff/login/x', '/prod/v1/sessions/join/y']) expect(path, path).not.toMatch(pattern);

    // A rate block reads like the API's own throttling: 429 RATE_LIMITED in the contract's shape, with Retry-After.
    for (const rule of [rules.PerIpRateLimit, rules.SecretEndpointsRateLimit]) {
      expect(rule.Action.Block.CustomResponse).toEqual({
        ResponseCode: 429,
        CustomResponseBodyKey: 'rateLimited',
        ResponseHeaders: [{ Name: 'Retry-After', Value: '300' }],
      });
    }
    const body = JSON.parse(acl?.Properties.CustomResponseBodies.rateLimited.Content);
    expect(body).toEqual({ error: { code: 'RATE_LIMITED', message: expect.any(String), requestId: expect.any(String), details: { retryAfterSeconds: 300 } } });
    api.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
    });
  });

  it('reserves concurrency for placing orders and the fan-out, and caps the public functions, outside dev', () => {
    const reserved = (resources: Resources, entry: string) =>
      functionsOf(resources).find(([id]) => id.startsWith(constructIdFor(entry)))?.[1].Properties?.ReservedConcurrentExecutions;
    expect(reserved(apiResources, restFunctions.orders.entry)).toBe(config.concurrency.orders);
    expect(reserved(apiResources, restFunctions.join.entry)).toBe(config.concurrency.join);
    expect(reserved(realtimeResources, 'functions/streams/fanout.ts')).toBe(config.concurrency.fanout);
    expect(reserved(apiResources, restFunctions.guest.entry)).toBeUndefined();
    if (stage === 'dev') expect(config.concurrency).toEqual({});
    else expect(config.concurrency).toMatchObject({ orders: expect.any(Number), fanout: expect.any(Number) });
  });

  it('gives every function exactly the environment it validates on first use', () => {
    // What CloudFormation resolves the references to, in the shapes it will have.
    const deployed: Record<string, string> = {
      TABLE_NAME: 'QrOrdering-stage-Data-TableCD117FA1-1ABC',
      GUEST_ORDERING_URL: 'https://d111111abcdef8.cloudfront.net/t',
      CORS_ORIGIN: 'https://d111111abcdef8.cloudfront.net',
      WEBSOCKET_ENDPOINT: 'https://abc123.execute-api.eu-central-1.amazonaws.com/stage',
      DELIVERY_FUNCTION_NAME: 'QrOrdering-stage-Realtime-StreamsDeliverFunction-1ABC',
      PIN_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:PinKey-AbCdEf',
      AVAILABILITY_TIMER_ARN: 'arn:aws:lambda:eu-central-1:123456789012:function:QrOrdering-stage-Api-AvailabilityTimer-1ABC',
      SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/QrOrdering-stage-Api-SchedulerRole-1ABC',
    };
    for (const variables of [...variablesOf(apiResources), ...variablesOf(realtimeResources)]) {
      const resolved = Object.fromEntries(
        Object.entries(variables).map(([name, value]) => [name, typeof value === 'string' ? value : (deployed[name] ?? `an unexpected reference in ${name}`)]),
      );
      expect(EnvSchema.safeParse(resolved).error?.issues ?? []).toEqual([]);
    }
    // Only the fan-out and its delivery function are told where @connections is; only the fan-out which function delivers.
    const told = (name: string) => stacks.flatMap((resources) => functionsOf(resources).filter(([, fn]) => name in fn.Properties.Environment.Variables)).map(([id]) => id);
    expect(told('WEBSOCKET_ENDPOINT').sort()).toEqual([expect.stringMatching(/^StreamsDeliverFunction/), expect.stringMatching(/^StreamsFanoutFunction/)]);
    expect(told('DELIVERY_FUNCTION_NAME')).toEqual([expect.stringMatching(/^StreamsFanoutFunction/)]);
    // Password hashes cost what shared/auth/passwords.ts says: only test harnesses lower it.
    expect(told('PASSWORD_HASH_LOG2_N')).toEqual([]);
  });

  it('lets only the menu function schedule timed 86s, in the stage’s group, handing schedules only the role that invokes the timer', () => {
    api.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: `qr-ordering-${stage}` });
    const told = functionsOf(apiResources).filter(([, fn]) => 'SCHEDULE_GROUP' in fn.Properties.Environment.Variables);
    expect(told.map(([id]) => id)).toEqual([expect.stringMatching(new RegExp(`^${constructIdFor(restFunctions.menu.entry)}Function`))]);
    const schedulers = Object.values(apiResources).filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.PolicyDocument).includes('scheduler:'));
    expect(schedulers).toEqual([policyOf(apiResources, restFunctions.menu.entry)]);
    const statements = schedulers[0]?.Properties.PolicyDocument.Statement as { Action: string; Resource: unknown; Condition?: unknown }[];
    expect(JSON.stringify(statements.find((st) => st.Action === 'scheduler:CreateSchedule')?.Resource)).toContain(`:schedule/qr-ordering-${stage}/*`);
    expect(statements.find((st) => st.Action === 'iam:PassRole')).toMatchObject({
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^AvailabilityTimersSchedulerRole/), 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    });
    // The role schedules run with: assumed only by EventBridge Scheduler of this account, able only to invoke the timer.
    const role = Object.entries(apiResources).find(([id, r]) => id.startsWith('AvailabilityTimersSchedulerRole') && r.Type === 'AWS::IAM::Role')?.[1];
    expect(role?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': expect.anything() } } }),
    ]);
    const rolePolicy = Object.entries(apiResources).find(([id, r]) => id.startsWith('AvailabilityTimersSchedulerRoleDefaultPolicy') && r.Type === 'AWS::IAM::Policy')?.[1];
    expect(rolePolicy?.Properties.PolicyDocument.Statement).toEqual([
      expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [expect.stringMatching(/AvailabilityTimer.*Function/), 'Arn'] } }),
    ]);
    // A run that keeps failing ends in a queue, which alarms.
    api.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: Match.anyValue() } } });
  });

  it("points QR codes at the stage's own web distribution and allows CORS only from it, everywhere", () => {
    const origin = { 'Fn::Join': ['', ['https://', { 'Fn::ImportValue': expect.stringMatching(/^QrOrdering-\w+-Web:.*Distribution.*DomainName/) }]] };
    const preflights = preflightsOf(apiResources);
    // One preflight per path a route is on; bare path segments (`/v1`) have none.
    expect(preflights).toHaveLength(new Set(Object.values(restRoutes).map((route) => route.path)).size);
    for (const preflight of preflights) {
      const allowOrigin = preflight.Properties.Integration.IntegrationResponses[0].ResponseParameters['method.response.header.Access-Control-Allow-Origin'];
      expect(JSON.stringify(allowOrigin)).toMatch(/ImportValue.*Web:.*Distribution/);
    }
    for (const variables of [...variablesOf(apiResources), ...variablesOf(realtimeResources)]) {
      expect(variables.CORS_ORIGIN).toEqual(origin);
      expect(JSON.stringify(variables.GUEST_ORDERING_URL)).toMatch(/https:\/\/.*ImportValue.*Web:.*Distribution.*\/t"/);
    }
  });

  it('serves the web apps from a private, versioned bucket through CloudFront over HTTPS only', () => {
    web.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue() })],
      }),
    });
  });

  it('serves the apps with security headers and answers their pages (paths without an extension) with the app shell', () => {
    const [policy] = Object.values(web.findResources('AWS::CloudFront::ResponseHeadersPolicy')) as Resources[string][];
    const security = policy?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/connect-src 'self' https:\/\/\*\.execute-api\..*wss:\/\/\*\.execute-api\./);
    expect(security).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: HSTS_SECONDS, IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
    });
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          ResponseHeadersPolicyId: Match.anyValue(),
          FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: Match.anyValue() }],
        }),
      }),
    });
    web.hasResourceProperties('AWS::CloudFront::Function', { FunctionCode: SPA_ROUTING_FUNCTION, FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }) });
  });

  it("deploys the guest app at the root and the staff app under /staff/, with one config.json naming this stage's REST and WebSocket URLs; shells revalidated and invalidated, hashed assets immutable", () => {
    const deployments = Object.values(webContent.findResources('Custom::CDKBucketDeployment')) as Resources[string][];
    const at = (prefix: string | undefined) => deployments.filter((d) => d.Properties.DestinationBucketKeyPrefix === prefix);
    expect(deployments).toHaveLength(4);
    for (const [prefix, shellPaths] of [
      [undefined, ['/index.html', '/config.json']],
      ['staff/', ['/staff/index.html']],
    ] as const) {
      const [assets, shell] = [at(prefix).find((d) => !d.Properties.DistributionPaths), at(prefix).find((d) => d.Properties.DistributionPaths)];
      expect(assets?.Properties).toMatchObject({ Prune: false, Exclude: ['index.html'], SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' } });
      expect(shell?.Properties).toMatchObject({ Prune: false, SystemMetadata: { 'cache-control': 'no-cache' }, DistributionPaths: shellPaths });
      for (const deployment of [assets, shell]) expect(JSON.stringify(deployment?.Properties.DestinationBucketName)).toMatch(/ImportValue.*Web:.*Assets/);
    }
    const shell = at(undefined).find((d) => d.Properties.DistributionPaths);
    expect(shell?.Properties.Include).toEqual(['index.html', 'config.json']);
    const markers = JSON.stringify(shell?.Properties.SourceMarkers);
    expect(markers).toMatch(/ImportValue.*-Api:.*RestApi/);
    expect(markers).toMatch(/ImportValue.*-Realtime:.*WebSocketApi/);
  });

  it('writes JSON access logs for both APIs, kept as long as the stage keeps logs', () => {
    const logGroupOf = (arn: { 'Fn::GetAtt': string[] }) => ({ ...apiResources, ...realtimeResources })[arn['Fn::GetAtt'][0] as string];
    const rest = Object.values(apiResources).find((r) => r.Type === 'AWS::ApiGateway::Stage');
    expect(JSON.parse(rest?.Properties.AccessLogSetting.Format)).toMatchObject({ requestId: '$context.requestId' });
    expect(logGroupOf(rest?.Properties.AccessLogSetting.DestinationArn)?.Properties.RetentionInDays).toBe(config.logRetentionDays);
    const ws = Object.values(realtimeResources).find((r) => r.Type === 'AWS::ApiGatewayV2::Stage');
    expect(JSON.parse(ws?.Properties.AccessLogSettings.Format)).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey' });
    expect(logGroupOf(ws?.Properties.AccessLogSettings.DestinationArn)?.Properties.RetentionInDays).toBe(config.logRetentionDays);
  });

  it('pages through SNS on 5XX rate, Lambda errors and throttles, placement p99, iterator age, DLQ, DynamoDB throttles, WebSocket errors', () => {
    const alarms = allOf('AWS::CloudWatch::Alarm').map(([, alarm]) => alarm);
    const byName = (suffix: string) => alarms.find((a) => String(a.Properties.AlarmName).endsWith(suffix))?.Properties;
    expect(byName('Rest5xxRate')).toMatchObject({ MetricName: '5XXError', Statistic: 'Average', Threshold: config.alarms.rest5xxRate });
    expect(byName('PlaceOrderP99Latency')).toMatchObject({ MetricName: 'Duration', ExtendedStatistic: 'p99', Threshold: config.alarms.placeOrderP99Ms });
    expect(byName('FanoutIteratorAge')).toMatchObject({ MetricName: 'IteratorAge', Threshold: 60_000 });
    expect(byName('FanoutDeadLetters')).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0 });
    expect(byName('WebSocketExecutionErrors')).toMatchObject({ MetricName: 'ExecutionError', Threshold: 0 });
    expect(byName('DynamoDbThrottles')).toMatchObject({ Threshold: 0 });
    expect(byName('AvailabilityTimerFailures')).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0 });
    const covered = alarms
      .filter((a) => /LambdaErrors\d+$/.test(String(a.Properties.AlarmName)))
      .flatMap((a) => a.Properties.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat));
    expect(covered).toHaveLength(allOf('AWS::Lambda::Function').length);
    // Every alarm pages through the one topic of the stage, made in the data stack.
    for (const alarm of alarms) expect(JSON.stringify(alarm.Properties.AlarmActions)).toMatch(/ImportValue.*Alarms/);
    data.resourceCountIs('AWS::SNS::Topic', 1);
    data.resourceCountIs('AWS::SNS::Subscription', config.alarmEmail ? 1 : 0);
    api.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    realtime.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('grants read-only functions no write access to the table', () => {
    const readOnly = lambdaFunctions.filter((spec) => spec.table === 'read');
    expect(readOnly).toContain(authorizer);
    for (const resources of [apiResources, realtimeResources]) {
      for (const spec of readOnly) {
        const actions = JSON.stringify(policyOf(resources, spec.entry)?.Properties.PolicyDocument);
        expect(actions, spec.entry).toContain('dynamodb:GetItem');
        expect(actions).not.toMatch(/PutItem|UpdateItem|DeleteItem|BatchWriteItem/);
      }
    }
  });

  it(`keeps every stack under ${RESOURCE_BUDGET} resources with room for ${ROUTE_HEADROOM} more routes`, () => {
    // A route on a new path costs its method, its path resource and that resource's CORS preflight.
    const perRoute = 3;
    for (const [name, template] of Object.entries({ data, web, api, realtime, webContent })) {
      const count = Object.keys(template.toJSON().Resources).length;
      console.log(`${stage} ${name}: ${count} resources + ${ROUTE_HEADROOM} routes × ${perRoute} = ${count + ROUTE_HEADROOM * perRoute} (budget ${RESOURCE_BUDGET}, CloudFormation's limit 500)`);
      expect(count + ROUTE_HEADROOM * perRoute, name).toBeLessThan(RESOURCE_BUDGET);
    }
  });
});

describe('deployment settings from CDK context', () => {
  const context = {
    guestOrderingUrl: 'https://order.mybistro.com/t',
    alarmEmail: 'oncall@mybistro.com',
    pinLength: '6',
    restRateLimit: '42',
    restBurstLimit: '84',
    webSocketRateLimit: '21',
    logRetentionDays: '365',
    waf: 'false',
  };
  const { data, api, realtime } = synthesize('staging', context);
  const [apiResources, realtimeResources] = [resourcesOf(api), resourcesOf(realtime)];

  it("reach every function's environment, CORS and the gateway responses", () => {
    for (const variables of [...variablesOf(apiResources), ...variablesOf(realtimeResources)]) {
      expect(variables).toMatchObject({ GUEST_ORDERING_URL: context.guestOrderingUrl, CORS_ORIGIN: 'https://order.mybistro.com', PIN_LENGTH: '6' });
    }
    for (const preflight of preflightsOf(apiResources)) {
      expect(JSON.stringify(preflight.Properties.Integration.IntegrationResponses)).toContain("'https://order.mybistro.com'");
    }
    for (const response of Object.values(apiResources).filter((r) => r.Type === 'AWS::ApiGateway::GatewayResponse')) {
      expect(response.Properties.ResponseParameters['gatewayresponse.header.Access-Control-Allow-Origin']).toBe("'https://order.mybistro.com'");
    }
  });

  it('set throttling, log retention, WAF and the alarm e-mail', () => {
    api.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 42, ThrottlingBurstLimit: 84 })]),
    });
    realtime.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 21 }) });
    for (const group of Object.values({ ...apiResources, ...realtimeResources }).filter((r) => r.Type === 'AWS::Logs::LogGroup')) {
      expect(group.Properties.RetentionInDays).toBe(365);
    }
    api.resourceCountIs('AWS::WAFv2::WebACL', 0);
    data.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@mybistro.com' });
  });

  it('refuse bad values, naming each', () => {
    const bad = { pinLength: '3', guestOrderingUrl: 'http://order.mybistro.com/t', waf: 'maybe', restRateLimit: '-1' };
    expect(() => synthesize('prod', bad)).toThrow(/^Invalid CDK context for stage prod/);
    try {
      synthesize('prod', bad);
    } catch (error) {
      for (const key of Object.keys(bad)) expect((error as Error).message).toContain(`-c ${key}=`);
      expect((error as Error).message).toContain('must be an https:// URL');
    }
    expect(() => synthesize('prod', { webDomainName: 'order.mybistro.com' })).toThrow(/webDomainName and webCertificateArn go together/);
  });

  it('put a custom domain with its certificate on the web distribution, and QR codes on that domain', () => {
    const custom = synthesize('prod', {
      webDomainName: 'order.mybistro.com',
      webCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0d6f8e3a-1111-2222-3333-444455556666',
    });
    custom.web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ Aliases: ['order.mybistro.com'], ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' }) }),
    });
    for (const variables of variablesOf(resourcesOf(custom.api))) expect(variables.GUEST_ORDERING_URL).toBe('https://order.mybistro.com/t');
  });
});
