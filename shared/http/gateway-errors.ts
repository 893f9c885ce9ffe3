import { UNAVAILABLE } from '../errors';

/**
 * Errors that API Gateway answers itself, before or instead of a handler, in the contract's error
 * shape. The CDK stack turns these into gateway responses; the local gateway answers with the same.
 */
export interface GatewayError {
  /** Omitted: keep the status API Gateway chose (DEFAULT_4XX). */
  status?: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
  details?: Record<string, unknown>;
}

export const gatewayErrors = {
  /** No Authorization header (the authorizer's identity source), or the authorizer threw Unauthorized. */
  UNAUTHORIZED: { status: 401, code: 'UNAUTHENTICATED', message: 'Missing or invalid token.' },
  /** The authorizer denied; code and message come from its context (UNAUTHENTICATED, SESSION_CLOSED, …). */
  ACCESS_DENIED: { status: 401, code: 'UNAUTHENTICATED', message: 'Missing, invalid, expired or revoked token.' },
  /** API Gateway's answer for a path or method that does not exist. */
  MISSING_AUTHENTICATION_TOKEN: { status: 404, code: 'NOT_FOUND', message: 'No such route.' },
  RESOURCE_NOT_FOUND: { status: 404, code: 'NOT_FOUND', message: 'No such route.' },
  REQUEST_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The request is too large.' },
  THROTTLED: {
    status: 429,
    code: 'RATE_LIMITED',
    message: 'Too many requests. Slow down.',
    headers: { 'Retry-After': '1' },
    details: { retryAfterSeconds: 1 },
  },
  /**
   * The authorizer failed rather than decided: it only fails when DynamoDB is unavailable after the
   * SDK's retries, so this is the contract's 503 to retry, not a 500.
   */
  AUTHORIZER_FAILURE: {
    status: 503,
    code: UNAVAILABLE.code,
    message: UNAVAILABLE.message,
    headers: { 'Retry-After': String(UNAVAILABLE.retryAfterSeconds) },
    details: { retryAfterSeconds: UNAVAILABLE.retryAfterSeconds },
  },
  DEFAULT_4XX: { code: 'BAD_REQUEST', message: 'The request was refused.' },
  DEFAULT_5XX: { status: 500, code: 'INTERNAL', message: 'Something went wrong. Quote the request id if you report it.' },
} as const satisfies Record<string, GatewayError>;

export type GatewayErrorType = keyof typeof gatewayErrors;
