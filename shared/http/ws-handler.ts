import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import type { WebSocketRouteKey } from './routes';
import { AppError, UnavailableError } from '../errors';
import { asUnavailable } from '../db/unavailable';
import { logger } from '../observability/logger';
import { errorMessage } from '../realtime/sockets';
import type { ServerMessage } from '../realtime/messages';

/** The parts of an API Gateway WebSocket proxy event the routes use. */
export interface WebSocketEvent {
  requestContext: {
    connectionId: string;
    routeKey: string;
    eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT';
    requestId: string;
    authorizer?: unknown;
  };
  body?: string | null;
  isBase64Encoded?: boolean;
}

export interface WebSocketResult {
  statusCode: number;
  body?: string;
}

export interface WebSocketRequest {
  connectionId: string;
  body: unknown;
  authorizer: unknown;
  now: Date;
}

/**
 * Builds a WebSocket route handler: Powertools logger context, JSON parsing, and one mapping of
 * errors to an `{type: "error"}` message on the socket (nothing internal in it). A returned message
 * is the route's response; `$connect` refuses the handshake by throwing.
 */
export function wsHandler(handle: (request: WebSocketRequest) => Promise<ServerMessage | void>) {
  return middy<WebSocketEvent, WebSocketResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const now = new Date();
      logger.setCorrelationId(event.requestContext.requestId);
      const send = (message: ServerMessage | void): WebSocketResult => ({ statusCode: 200, ...(message ? { body: JSON.stringify(message) } : {}) });
      let body: unknown;
      try {
        const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        return send(errorMessage('BAD_JSON', 'Messages are JSON objects with an "action".', now));
      }
      try {
        return send(await handle({ connectionId: event.requestContext.connectionId, body, authorizer: event.requestContext.authorizer, now }));
      } catch (error) {
        // A refused handshake: API Gateway answers the client with the status; anything unexpected is a 500.
        if (event.requestContext.eventType === 'CONNECT') {
          if (error instanceof AppError && error.status < 500) return { statusCode: error.status };
          throw error;
        }
        // DynamoDB unavailable after the SDK's retries is UNAVAILABLE: the client may send the message again.
        const known = asUnavailable(error);
        if (known instanceof UnavailableError) logger.warn('database unavailable after retries', { error: known, route: event.requestContext.routeKey });
        if (known instanceof AppError) return send(errorMessage(known.code, known.message, now));
        logger.error('websocket route failed', { error: error as Error, route: event.requestContext.routeKey });
        return send(errorMessage('INTERNAL', 'Something went wrong.', now));
      }
    });
}

type WebSocketHandler = (event: WebSocketEvent, context: Context) => Promise<WebSocketResult | void>;

/**
 * The WebSocket function's Lambda handler: hands each event to the handler of its route key. Every
 * route of the manifest must be wired (type-checked); an unknown key goes to `$default`, as API
 * Gateway itself routes an unknown action.
 */
export function dispatchWebSocketRoutes(handlers: Record<WebSocketRouteKey, WebSocketHandler>): WebSocketHandler {
  return (event, context) => {
    const key = event.requestContext.routeKey;
    const handler = key in handlers ? handlers[key as WebSocketRouteKey] : handlers.$default;
    return handler(event, context);
  };
}
