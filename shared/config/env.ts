import * as z from 'zod';

/**
 * The functions' environment, read and validated once when a container starts: a missing or
 * malformed variable fails the cold start with a clear message instead of a request later.
 */
const EnvSchema = z.object({
  STAGE: z.string().min(1),
  TABLE_NAME: z.string().min(1),
  /** Set only for DynamoDB Local (local runtime and tests). */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** The guest web app; QR codes point at `<GUEST_ORDERING_URL>?t=<tableCode>`. */
  GUEST_ORDERING_URL: z.url(),
  STAFF_TOKEN_TTL_SECONDS: z.coerce.number().int().positive(),
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive(),
  LOGIN_LOCKOUT_SECONDS: z.coerce.number().int().positive(),
  LOGIN_MAX_LOCKOUT_SECONDS: z.coerce.number().int().positive(),
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
