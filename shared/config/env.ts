import * as z from 'zod';

/**
 * The functions' environment: every variable a function is given, validated on first use and then
 * remembered, so a missing or malformed one fails the first request with a clear message and
 * nothing runs at import. The stacks build each function's environment against this schema
 * (lib/stage-config.ts), and an infra test validates every synthesized function's against it.
 */
const seconds = z.coerce.number().int().positive();

export const EnvSchema = z.strictObject({
  STAGE: z.string().min(1),
  TABLE_NAME: z.string().min(1),
  /** Read by Powertools: the service name on every log line and metric, the log level, the metrics namespace. */
  POWERTOOLS_SERVICE_NAME: z.string().min(1),
  POWERTOOLS_LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT']),
  POWERTOOLS_METRICS_NAMESPACE: z.string().min(1),
  /** Deployed functions map stack traces through their source maps. */
  NODE_OPTIONS: z.string().optional(),
  /** Set only for DynamoDB Local (local runtime and tests). */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** Ask DynamoDB for the consumed capacity of every call, for the benchmarks (local runtime only; off when deployed). */
  MEASURE_CONSUMED_CAPACITY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /**
   * scrypt's cost for new password hashes, as log2 N: 17, OWASP's recommendation, unless set. Never set
   * when deployed (an infra test checks); the test harnesses lower it (tests/support/password-cost.ts).
   */
  PASSWORD_HASH_LOG2_N: z.coerce.number().int().min(12).max(20).default(17),
  /** The guest web app; QR codes point at `<GUEST_ORDERING_URL>?t=<tableCode>`. */
  GUEST_ORDERING_URL: z.url(),
  STAFF_TOKEN_TTL_SECONDS: seconds,
  /** Failed logins from one device, or from one source IP for one username, before it is blocked. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive(),
  /** Failed logins of one username from all unknown devices before unknown devices are locked out. */
  LOGIN_USERNAME_MAX_FAILURES: z.coerce.number().int().positive(),
  LOGIN_LOCKOUT_SECONDS: seconds,
  LOGIN_MAX_LOCKOUT_SECONDS: seconds,
  /** A table session (and its guest tokens) ends this long after it opens unless closed sooner. */
  SESSION_TTL_SECONDS: seconds,
  PIN_LENGTH: z.coerce.number().int().min(4).max(8),
  /** Wrong PINs from one source IP before that source is blocked for the session. */
  PIN_MAX_FAILURES: z.coerce.number().int().positive(),
  /** Wrong PINs for a session from all sources before it is guarded: every join then needs approval. */
  PIN_GUARD_FAILURES: z.coerce.number().int().positive(),
  PIN_LOCKOUT_SECONDS: seconds,
  PIN_MAX_LOCKOUT_SECONDS: seconds,
  /** Failed joins per source IP per rolling hour, across all tables. */
  IP_MAX_FAILURES_PER_HOUR: z.coerce.number().int().positive(),
  /** The guest ordering app's origin: the only one browsers may call the API from. */
  CORS_ORIGIN: z.url().optional(),
  /** The WebSocket API's @connections endpoint (https://{api}.execute-api.{region}.amazonaws.com/{stage}). */
  WEBSOCKET_ENDPOINT: z.url().optional(),
  /** The fan-out: the function that posts a share of a big channel's messages. */
  DELIVERY_FUNCTION_NAME: z.string().min(1).optional(),
  /** Set only locally: the runtime's Lambda Invoke stand-in. */
  LAMBDA_ENDPOINT: z.url().optional(),
  /** Timed 86s (the menu function): the EventBridge Scheduler group its one-time schedules go in, the function they invoke and the role they invoke it with. */
  SCHEDULE_GROUP: z.string().min(1).optional(),
  AVAILABILITY_TIMER_ARN: z.string().startsWith('arn:').optional(),
  SCHEDULER_ROLE_ARN: z.string().startsWith('arn:').optional(),
  /** Set only locally: the runtime's EventBridge Scheduler stand-in. */
  SCHEDULER_ENDPOINT: z.url().optional(),
  /** The PIN hashing key: a Secrets Manager secret when deployed, a plain value only locally. */
  PIN_KEY_SECRET_ARN: z.string().startsWith('arn:').optional(),
  PIN_KEY: z.string().min(16).optional(),
});

export type Env = z.infer<typeof EnvSchema>;
/** The names of the variables a function may be given. */
export type EnvName = keyof z.input<typeof EnvSchema>;

const ENV_NAMES = new Set(Object.keys(EnvSchema.shape));

let loaded: Env | undefined;

/** The validated environment, read from `process.env` on first use (only the schema's variables: a Lambda environment holds many more). */
export function env(): Env {
  if (loaded) return loaded;
  const ours = Object.fromEntries(Object.entries(process.env).filter(([name]) => ENV_NAMES.has(name)));
  const parsed = EnvSchema.safeParse(ours);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  loaded = parsed.data;
  return loaded;
}
