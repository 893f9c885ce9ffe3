/**
 * Every error a client may see is an AppError: the error middleware turns it into the contract's
 * error body by its fields. Anything else becomes 500 INTERNAL and nothing of it leaks out.
 */
export class AppError extends Error {
  /** Whether the message may reach the client; by default a 4xx says what was wrong and a 5xx says nothing. */
  readonly expose: boolean;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
    options: { cause?: unknown; expose?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.expose = options.expose ?? status < 500;
  }
}

export interface ValidationIssue {
  path: string;
  message: string;
}

export class ValidationError extends AppError {
  constructor(issues: ValidationIssue[]) {
    super(400, 'VALIDATION_FAILED', 'The request is not valid.', { issues });
  }
}

export class BadJsonError extends AppError {
  constructor(message: string, cause?: unknown) {
    super(400, 'BAD_JSON', message, {}, {}, { cause });
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Missing, invalid, expired or revoked token.') {
    super(401, 'UNAUTHENTICATED', message);
  }
}

export class SessionClosedError extends AppError {
  constructor() {
    super(401, 'SESSION_CLOSED', 'This table session is closed. Ask staff to open a new one.');
  }
}

export class InvalidCredentialsError extends AppError {
  constructor() {
    super(401, 'INVALID_CREDENTIALS', 'Wrong username or password.');
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Your role does not allow this.') {
    super(403, 'FORBIDDEN', message);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found.') {
    super(404, 'NOT_FOUND', message);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(409, code, message, details);
  }
}

/** A dish that cannot be ordered now (86ed or archived). */
export class ItemUnavailableError extends ConflictError {
  constructor(itemIds: string[]) {
    super('ITEM_UNAVAILABLE', 'Some items are not available right now.', { itemIds });
  }
}

export class OptionUnavailableError extends ConflictError {
  constructor(optionIds: string[]) {
    super('OPTION_UNAVAILABLE', 'Some of the chosen options are not available right now.', { optionIds });
  }
}

/** A WebSocket client message a route cannot serve, answered as `{type: "error"}` on the socket. */
export class SocketError extends AppError {}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${limitBytes} bytes.`, { limitBytes });
  }
}

/** 429 with `Retry-After` and details.retryAfterSeconds, as the contract requires of every 429. */
export class TooManyRequestsError extends AppError {
  constructor(code: 'PIN_BLOCKED' | 'LOGIN_BLOCKED' | 'RATE_LIMITED', message: string, retryAfterSeconds: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super(429, code, message, { retryAfterSeconds: seconds }, { 'Retry-After': String(seconds) });
  }
}

/** What a client is told when the database is unavailable, by a handler or by the gateway for the authorizer. */
export const UNAVAILABLE = { code: 'UNAVAILABLE', message: 'The service is busy. Try again in a moment.', retryAfterSeconds: 1 } as const;

/**
 * 503 UNAVAILABLE: the database throttled or failed after the SDK's retries. Nothing was written
 * that a retry cannot finish, so the client is told to retry; the message may be shown.
 */
export class UnavailableError extends AppError {
  constructor(cause: unknown) {
    const seconds = UNAVAILABLE.retryAfterSeconds;
    super(503, UNAVAILABLE.code, UNAVAILABLE.message, { retryAfterSeconds: seconds }, { 'Retry-After': String(seconds) }, { cause, expose: true });
  }
}

/** The contract's error body. */
export function errorBody(code: string, message: string, requestId: string, details: Record<string, unknown> = {}) {
  return { error: { code, message, requestId, details } };
}
