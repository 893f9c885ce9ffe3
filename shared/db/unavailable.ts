import { AppError, UnavailableError } from '../errors';
import { TransactionCancelledError } from './transact';

/** DynamoDB's answers that mean "not now" rather than "not so": throttles and its own failures. */
const UNAVAILABLE_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionInProgressException',
]);

/** Failures on the way to DynamoDB: no answer in time, a connection reset or refused. */
const NETWORK_ERRORS = new Set(['TimeoutError', 'RequestTimeout', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

/** Cancellation reasons that say the transaction could not run now, not that a condition failed. */
const TRANSIENT_CANCELLATIONS = new Set(['ThrottlingError', 'TransactionConflict', 'ProvisionedThroughputExceeded']);

/**
 * Whether an error is DynamoDB being unavailable after the SDK's own retries (a throttle, a 5xx,
 * a timeout, a reset connection), as opposed to a bug of ours. Such a request is answered 503
 * UNAVAILABLE: every write of this code base is one conditional call or one transaction, so a
 * failed one left nothing half done, and a retry with the same input finishes the work.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (error instanceof TransactionCancelledError) return [...error.reasons.values()].some((code) => TRANSIENT_CANCELLATIONS.has(code));
  const failure = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; cause?: unknown } | undefined;
  if (!failure || typeof failure !== 'object') return false;
  return (
    UNAVAILABLE_ERRORS.has(failure.name ?? '') ||
    NETWORK_ERRORS.has(failure.name ?? '') ||
    NETWORK_ERRORS.has(failure.code ?? '') ||
    (failure.$metadata?.httpStatusCode ?? 0) >= 500 ||
    // A library's error around DynamoDB's, e.g. Powertools' IdempotencyPersistenceLayerError when its record could not be saved.
    (depth < 3 && failure.cause !== undefined && isDatabaseUnavailable(failure.cause, depth + 1))
  );
}

/** The error as the client is to hear it: 503 UNAVAILABLE when DynamoDB is unavailable, else itself. */
export const asUnavailable = (error: unknown): unknown => (!(error instanceof AppError) && isDatabaseUnavailable(error) ? new UnavailableError(error) : error);
