import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { AppError } from '../errors';
import { authenticate } from './authenticate';
import { toAuthorizerContext } from './principal';
import { bearerToken, timesSent } from './tokens';

type AuthorizerEvent = Pick<APIGatewayRequestAuthorizerEvent, 'methodArn' | 'headers' | 'multiValueHeaders' | 'queryStringParameters'> & {
  requestContext?: { eventType?: string } | null;
};

function policy(effect: 'Allow' | 'Deny', principalId: string, methodArn: string, context: Record<string, string>) {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: methodArn }],
    },
    context,
  } satisfies APIGatewayAuthorizerResult;
}

/**
 * The REQUEST authorizer's decision. Allow carries the principal as context; Deny carries the
 * contract's error code and message, which the ACCESS_DENIED gateway response renders. The token
 * may come in `?token=` only on a WebSocket `$connect` (browsers cannot set headers there); REST
 * never accepts it in the URL, where access logs would keep it.
 */
export async function authorizeRequest(event: AuthorizerEvent, now: Date): Promise<APIGatewayAuthorizerResult> {
  const isWebSocketConnect = event.requestContext?.eventType === 'CONNECT';
  const token =
    timesSent(event.multiValueHeaders, 'Authorization') > 1
    ? undefined
    : (bearerToken(event.headers) ?? (isWebSocketConnect ? event.queryStringParameters?.token : undefined));
  try {
    const principal = await authenticate(token, now);
    const principalId = principal.kind === 'staff' ? principal.staffId : principal.guestId;
    return policy('Allow', principalId, event.methodArn, toAuthorizerContext(principal));
  } catch (error) {
    // A 401 is the token's fault (UNAUTHENTICATED, SESSION_CLOSED); anything else is ours and surfaces as a 5xx.
    if (!(error instanceof AppError) || error.status !== 401) throw error;
    return policy('Deny', 'anonymous', event.methodArn, { errorCode: error.code, errorMessage: error.message });
  }
}
