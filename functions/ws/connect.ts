import type { APIGatewayProxyResult } from 'aws-lambda';

/**
 * WebSocket `$connect`. The REQUEST authorizer has already accepted the token by the time this
 * runs, so the handshake completes; storing the connection and its channels is the real-time work.
 */
export const handler = async (): Promise<APIGatewayProxyResult> => ({ statusCode: 200, body: '' });
