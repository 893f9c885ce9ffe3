import * as z from 'zod';
import type { EnvName } from '../shared/config/env';
import type { RestFunctionName } from '../shared/http/routes';

/**
 * Stages are data: one typed record per environment. `bin/app.ts` picks one with `-c stage=` and
 * applies the deployment's own values from CDK context (`-c name=value` or cdk.json's `context`),
 * validated, so deploying never needs a source edit. Nothing is shared between stages. The local
 * runtime runs with the `dev` values.
 */
export const STAGE_NAMES = ['dev', 'staging', 'prod'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** CloudWatch Logs retention periods the project uses (days). */
export const LOG_RETENTION_DAYS = [7, 14, 30, 90, 365] as const;
export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

export interface StageConfig {
  stage: StageName;
  /** Keep data when the stack is deleted; PITR and deletion protection guard it while it lives. */
  retainData: boolean;
  pointInTimeRecovery: boolean;
  deletionProtection: boolean;
  logRetentionDays: LogRetentionDays;
  /**
   * The guest web app; a table's QR code points at `${guestOrderingUrl}?t=<tableCode>`. Unset: the
   * stage's own web distribution, `https://<distribution or webDomain>/t`.
   */
  guestOrderingUrl?: string;
  /** The one origin browsers may call the API from. Unset: the guest ordering URL's origin. */
  corsOrigin?: string;
  /** A custom domain for the web distribution, with its ACM certificate (which must be in us-east-1). */
  webDomain?: { name: string; certificateArn: string };
  /** REST stage throttling, steady requests per second and burst. */
  restThrottle: { rateLimit: number; burstLimit: number };
  /** WebSocket stage throttling (messages and connects per second, and burst). */
  webSocketThrottle: { rateLimit: number; burstLimit: number };
  lambdaMemoryMb: number;
  /** Optional e-mail address subscribed to the stage's alarms. */
  alarmEmail?: string;
  alarms: {
    /** Share of REST requests with a 5XX (0.01 = 1 %) over 5 minutes. */
    rest5xxRate: number;
    /** p99 duration of order placement, milliseconds. */
    placeOrderP99Ms: number;
  };
  /** An AWS WAF web ACL in front of the REST stage. */
  waf: boolean;
  /** Its per-IP rate rules, requests per 5 minutes: every route, and the two that take secrets (join, login). */
  wafLimits: { everyRoutePer5Min: number; secretPathsPer5Min: number };
  /**
   * Concurrency reserved for the functions a flood must never starve (placing orders, the fan-out),
   * and caps on the public ones a flood arrives through; none in dev (new accounts have little to reserve).
   */
  concurrency: Partial<Record<RestFunctionName | 'fanout', number>>;
  auth: {
    staffTokenTtlHours: number;
    /** Consecutive failed logins per username before a lockout. */
    loginMaxFailures: number;
    /** Failed logins of one username from all unknown devices together before unknown devices are locked out. */
    loginUsernameMaxFailures: number;
    /** First lockout; each further lockout doubles, up to the maximum. */
    loginLockoutMinutes: number;
    loginMaxLockoutHours: number;
  };
  sessions: {
    /** A session not closed by staff ends after this many hours; its guest tokens with it. */
    ttlHours: number;
    /** Digits in a session PIN, 4 to 8. */
    pinLength: number;
    /** Wrong PINs from one source IP before that source is blocked for the session. */
    pinMaxFailures: number;
    /** Wrong PINs for a session from all sources together before it is guarded (joins need approval). */
    pinGuardFailures: number;
    /** First block; each further block doubles, up to the maximum. */
    pinLockoutMinutes: number;
    pinMaxLockoutHours: number;
    /** Failed joins per source IP per rolling hour, across all tables (unknown codes included). */
    ipMaxFailuresPerHour: number;
  };
}

const defaultAuth: StageConfig['auth'] = {
  staffTokenTtlHours: 12,
  loginMaxFailures: 5,
  loginUsernameMaxFailures: 20,
  loginLockoutMinutes: 15,
  loginMaxLockoutHours: 8,
};

const defaultSessions: StageConfig['sessions'] = {
  ttlHours: 8,
  pinLength: 6,
  pinMaxFailures: 5,
  pinGuardFailures: 20,
  pinLockoutMinutes: 15,
  pinMaxLockoutHours: 8,
  ipMaxFailuresPerHour: 50,
};

/** A venue's guests share one address: 3,000 per 5 minutes is 10 requests a second from one Wi-Fi. */
const defaultWafLimits: StageConfig['wafLimits'] = { everyRoutePer5Min: 3000, secretPathsPer5Min: 300 };

/** Reserved for placement and the fan-out; the public join and menu reads capped (they are what a flood hits). */
const defaultConcurrency: StageConfig['concurrency'] = { orders: 20, fanout: 10, join: 20, menu: 20, openapi: 2 };

export const stages: Record<StageName, StageConfig> = {
  dev: {
    stage: 'dev',
    waf: false,
    wafLimits: defaultWafLimits,
    concurrency: {},
    retainData: false,
    pointInTimeRecovery: false,
    deletionProtection: false,
    logRetentionDays: 7,
    restThrottle: { rateLimit: 50, burstLimit: 100 },
    webSocketThrottle: { rateLimit: 50, burstLimit: 100 },
    lambdaMemoryMb: 512,
    alarms: { rest5xxRate: 0.01, placeOrderP99Ms: 1000 },
    auth: defaultAuth,
    sessions: defaultSessions,
  },
  staging: {
    stage: 'staging',
    waf: true,
    wafLimits: defaultWafLimits,
    concurrency: defaultConcurrency,
    retainData: false,
    pointInTimeRecovery: true,
    deletionProtection: false,
    logRetentionDays: 30,
    restThrottle: { rateLimit: 100, burstLimit: 200 },
    webSocketThrottle: { rateLimit: 100, burstLimit: 200 },
    lambdaMemoryMb: 512,
    alarms: { rest5xxRate: 0.01, placeOrderP99Ms: 1000 },
    auth: defaultAuth,
    sessions: defaultSessions,
  },
  prod: {
    stage: 'prod',
    waf: true,
    wafLimits: defaultWafLimits,
    concurrency: defaultConcurrency,
    retainData: true,
    pointInTimeRecovery: true,
    deletionProtection: true,
    logRetentionDays: 365,
    restThrottle: { rateLimit: 500, burstLimit: 1000 },
    webSocketThrottle: { rateLimit: 500, burstLimit: 1000 },
    lambdaMemoryMb: 512,
    alarms: { rest5xxRate: 0.01, placeOrderP99Ms: 1000 },
    auth: defaultAuth,
    sessions: defaultSessions,
  },
};

export function stageConfig(name: string): StageConfig {
  if (!(STAGE_NAMES as readonly string[]).includes(name)) {
    throw new Error(`Unknown stage "${name}". Known stages: ${STAGE_NAMES.join(', ')}.`);
  }
  return stages[name as StageName];
}

const positiveInt = z.coerce.number().int().positive();
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')], { error: 'must be true or false' });
const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an https:// URL' });

/**
 * Every per-deployment value a deployment may set as CDK context, e.g.
 * `npm run cdk -- deploy --all -c stage=prod -c alarmEmail=oncall@mybistro.com -c pinLength=6`.
 * CLI values arrive as strings, cdk.json's as JSON; both are validated here.
 */
export const contextSettings = z
  .object({
    guestOrderingUrl: httpsUrl.optional(),
    corsOrigin: httpsUrl.refine((url) => new URL(url).origin === url, 'must be an origin: https://host[:port], no path').optional(),
    webDomainName: z.hostname().optional(),
    webCertificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/, 'must be an ACM certificate ARN in us-east-1').optional(),
    alarmEmail: z.email().optional(),
    restRateLimit: positiveInt.optional(),
    restBurstLimit: positiveInt.optional(),
    webSocketRateLimit: positiveInt.optional(),
    webSocketBurstLimit: positiveInt.optional(),
    lambdaMemoryMb: z.coerce.number().int().min(128).max(10240).optional(),
    logRetentionDays: z.coerce
      .number()
      .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), `must be one of ${LOG_RETENTION_DAYS.join(', ')}`)
      .optional(),
    waf: flag.optional(),
    pinLength: z.coerce.number().int().min(4).max(8).optional(),
    sessionTtlHours: z.coerce.number().int().min(1).max(48).optional(),
    staffTokenTtlHours: z.coerce.number().int().min(1).max(168).optional(),
  })
  .refine((values) => (values.webDomainName === undefined) === (values.webCertificateArn === undefined), {
    message: 'webDomainName and webCertificateArn go together',
    path: ['webDomainName'],
  });

export type ContextSettings = z.input<typeof contextSettings>;

/**
 * The stage's config with the deployment's context values applied. `read` looks a context key up
 * (the app's `node.tryGetContext`); a bad value fails synthesis with every problem named.
 */
export function resolveStageConfig(read: (key: string) => unknown): StageConfig {
  const base = stageConfig(String(read('stage') ?? 'dev'));
  const raw = Object.fromEntries(Object.keys(contextSettings.shape).map((key) => [key, read(key)]));
  const parsed = contextSettings.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `-c ${issue.path.join('.')}=${JSON.stringify(raw[String(issue.path[0])] ?? '')}: ${issue.message}`);
    throw new Error(`Invalid CDK context for stage ${base.stage}:\n  ${problems.join('\n  ')}`);
  }
  const v = parsed.data;
  return {
    ...base,
    guestOrderingUrl: v.guestOrderingUrl ?? base.guestOrderingUrl,
    corsOrigin: v.corsOrigin ?? base.corsOrigin,
    webDomain: v.webDomainName && v.webCertificateArn ? { name: v.webDomainName, certificateArn: v.webCertificateArn } : base.webDomain,
    alarmEmail: v.alarmEmail ?? base.alarmEmail,
    restThrottle: { rateLimit: v.restRateLimit ?? base.restThrottle.rateLimit, burstLimit: v.restBurstLimit ?? base.restThrottle.burstLimit },
    webSocketThrottle: {
      rateLimit: v.webSocketRateLimit ?? base.webSocketThrottle.rateLimit,
      burstLimit: v.webSocketBurstLimit ?? base.webSocketThrottle.burstLimit,
    },
    lambdaMemoryMb: v.lambdaMemoryMb ?? base.lambdaMemoryMb,
    logRetentionDays: (v.logRetentionDays as LogRetentionDays | undefined) ?? base.logRetentionDays,
    waf: v.waf ?? base.waf,
    auth: { ...base.auth, staffTokenTtlHours: v.staffTokenTtlHours ?? base.auth.staffTokenTtlHours },
    sessions: { ...base.sessions, pinLength: v.pinLength ?? base.sessions.pinLength, ttlHours: v.sessionTtlHours ?? base.sessions.ttlHours },
  };
}

export const stackNames = (stage: StageName) => ({
  data: `QrOrdering-${stage}-Data`,
  web: `QrOrdering-${stage}-Web`,
  api: `QrOrdering-${stage}-Api`,
  realtime: `QrOrdering-${stage}-Realtime`,
  webContent: `QrOrdering-${stage}-WebContent`,
});

/** Where guests order and which origin may call the API: the stage's web distribution unless configured. */
export interface SiteUrls {
  guestOrderingUrl: string;
  corsOrigin: string;
}

/** The site URLs of a stage whose web distribution is at `webUrl` (a token when deployed). */
export function siteUrls(config: StageConfig, webUrl: string): SiteUrls {
  const guestOrderingUrl = config.guestOrderingUrl ?? `${webUrl}/t`;
  return { guestOrderingUrl, corsOrigin: config.corsOrigin ?? (config.guestOrderingUrl ? new URL(config.guestOrderingUrl).origin : webUrl) };
}

/** The functions' environment, named and checked against the schema every function validates (shared/config/env.ts). */
export function functionEnvironment(config: StageConfig, tableName: string, site: SiteUrls): Partial<Record<EnvName, string>> {
  const { auth, sessions } = config;
  return {
    STAGE: config.stage,
    TABLE_NAME: tableName,
    POWERTOOLS_SERVICE_NAME: 'qr-ordering',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    POWERTOOLS_METRICS_NAMESPACE: `QrOrdering/${config.stage}`,
    GUEST_ORDERING_URL: site.guestOrderingUrl,
    CORS_ORIGIN: site.corsOrigin,
    STAFF_TOKEN_TTL_SECONDS: String(auth.staffTokenTtlHours * 3600),
    LOGIN_MAX_FAILURES: String(auth.loginMaxFailures),
    LOGIN_USERNAME_MAX_FAILURES: String(auth.loginUsernameMaxFailures),
    LOGIN_LOCKOUT_SECONDS: String(auth.loginLockoutMinutes * 60),
    LOGIN_MAX_LOCKOUT_SECONDS: String(auth.loginMaxLockoutHours * 3600),
    SESSION_TTL_SECONDS: String(sessions.ttlHours * 3600),
    PIN_LENGTH: String(sessions.pinLength),
    PIN_MAX_FAILURES: String(sessions.pinMaxFailures),
    PIN_GUARD_FAILURES: String(sessions.pinGuardFailures),
    PIN_LOCKOUT_SECONDS: String(sessions.pinLockoutMinutes * 60),
    PIN_MAX_LOCKOUT_SECONDS: String(sessions.pinMaxLockoutHours * 3600),
    IP_MAX_FAILURES_PER_HOUR: String(sessions.ipMaxFailuresPerHour),
  } satisfies Partial<Record<EnvName, string>>;
}
