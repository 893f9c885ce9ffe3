import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { authorizeRequest } from '../../shared/auth/authorize-request';
import { logger } from '../../shared/observability/logger';

/** Lambda REQUEST authorizer for every non-public REST route and WebSocket `$connect`. */
export const handler = middy<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event) => {
    logger.setCorrelationId(event.requestContext?.requestId);
    return authorizeRequest(event, new Date());
  });
