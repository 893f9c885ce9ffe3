import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import {
  AuthorizationType,
  EndpointType,
  IdentitySource,
  LambdaIntegration,
  RequestAuthorizer,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { gatewayErrors } from '../shared/http/gateway-errors';
import type { GatewayError } from '../shared/http/gateway-errors';
import { authorizer, restRoutes, webSocketRoutes } from '../shared/http/routes';
import { ApiFunction, constructIdFor } from './constructs/api-function';
import type { StageConfig } from './stage-config';

export interface ApiStackProps extends StackProps {
  config: StageConfig;
  table: ITable;
}

/** The contract's error body as a gateway response template; code and message may be VTL references. */
function errorTemplate(code: string, message: string, details: Record<string, unknown> = {}): string {
  return `{"error":{"code":"${code}","message":${message},"requestId":"$context.requestId","details":${JSON.stringify(details)}}}`;
}

/**
 * REST API (routes from the manifest, all behind the REQUEST authorizer unless public), the
 * WebSocket API with the same authorizer on `$connect`, and every function behind them.
 */
export class ApiStack extends Stack {
  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, table } = props;

    // The key PINs are hashed with: outside the table, so a copy of the table does not reveal PINs.
    const pinKey = new Secret(this, 'PinKey', {
      description: `HMAC key for table-session PINs (${config.stage})`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });

    const functions = new Map<string, IFunction>();
    const functionFor = (entry: string, tableAccess: 'read' | 'readWrite', readsPinKey = false): IFunction => {
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

    const api = new RestApi(this, 'RestApi', {
      restApiName: `qr-ordering-${config.stage}`,
      description: `QR table ordering REST API (${config.stage})`,
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      cloudWatchRole: false,
      deployOptions: {
        stageName: config.stage,
        throttlingRateLimit: config.restThrottle.rateLimit,
        throttlingBurstLimit: config.restThrottle.burstLimit,
      },
    });

    // Caching is off: a revoked token (logout, deleted staff, closed session) must fail on the very next request.
    const restAuthorizer = new RequestAuthorizer(this, 'RestAuthorizer', {
      handler: authorizerFunction,
      identitySources: [IdentitySource.header('Authorization')],
      resultsCacheTtl: Duration.seconds(0),
    });

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
          Object.entries({ 'Content-Type': 'application/json', ...error.headers }).map(([name, value]) => [
            name,
            `'${value}'`,
          ]),
        ),
        templates: { 'application/json': template },
      });
    }

    const webSocketApi = new WebSocketApi(this, 'WebSocketApi', {
      apiName: `qr-ordering-ws-${config.stage}`,
      connectRouteOptions: {
        integration: new WebSocketLambdaIntegration(
          'Connect',
          functionFor(webSocketRoutes.$connect.handler, webSocketRoutes.$connect.table),
        ),
        authorizer: new WebSocketLambdaAuthorizer('WebSocketAuthorizer', authorizerFunction, {
          identitySource: ['route.request.querystring.token'],
        }),
      },
    });
    const webSocketStage = new WebSocketStage(this, 'WebSocketStage', {
      webSocketApi,
      stageName: config.stage,
      autoDeploy: true,
    });

    new CfnOutput(this, 'RestApiUrl', { value: api.url });
    new CfnOutput(this, 'WebSocketUrl', { value: webSocketStage.url });
  }
}
