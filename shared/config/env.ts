import * as z from 'zod';

/**
 * The functions' environment, read and validated once when a container starts: a missing or
 * malformed variable fails the cold start with a clear message instead of a request later.
 */
const seconds = z.coerce.number().int().positive();

const EnvSchema = z.object({
  STAGE: z.string().min(1),
  TABLE_NAME: z.string().min(1),
  /** Set only for DynamoDB Local (local runtime and tests). */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** The guest web app; QR codes point at `<GUEST_ORDERING_URL>?t=<tableCode>`. */
  GUEST_ORDERING_URL: z.url(),
  STAFF_TOKEN_TTL_SECONDS: seconds,
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive(),
  LOGIN_LOCKOUT_SECONDS: seconds,
  LOGIN_MAX_LOCKOUT_SECONDS: seconds,
  /** A table session (and its guest tokens) ends this long after it opens unless closed sooner. */
  SESSION_TTL_SECONDS: seconds,
  PIN_LENGTH: z.coerce.number().int().min(4).max(8),
  PIN_MAX_FAILURES: z.coerce.number().int().positive(),
  PIN_LOCKOUT_SECONDS: seconds,
  PIN_MAX_LOCKOUT_SECONDS: seconds,
  /** Failed joins per source IP per rolling hour, across all tables. */
  IP_MAX_FAILURES_PER_HOUR: z.coerce.number().int().positive(),
  /** The guest ordering app's origin: the only one browsers may call the API from. */
  CORS_ORIGIN: z.url().optional(),
  /** The WebSocket API's @connections endpoint (https://{api}.execute-api.{region}.amazonaws.com/{stage}). */
  WEBSOCKET_ENDPOINT: z.url().optional(),
  /** The PIN hashing key: a Secrets Manager secret when deployed, a plain value only locally. */
  PIN_KEY_SECRET_ARN: z.string().startsWith('arn:').optional(),
  PIN_KEY: z.string().min(16).optional(),
});

export type Env = z.infer<typeof EnvSchema>;

function loadEnv(): Env {
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  return parsed.data;
}

export const env: Env = loadEnv();
