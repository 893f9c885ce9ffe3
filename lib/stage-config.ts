/**
 * Stages are data: one typed record per environment. `bin/app.ts` picks one with `-c stage=`;
 * nothing is shared between stages. The local runtime runs with the `dev` values.
 */
export const STAGE_NAMES = ['dev', 'staging', 'prod'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** CloudWatch Logs retention periods the project uses (days). */
export type LogRetentionDays = 7 | 14 | 30 | 90 | 365;

export interface StageConfig {
  stage: StageName;
  /** Keep data when the stack is deleted; PITR and deletion protection guard it while it lives. */
  retainData: boolean;
  pointInTimeRecovery: boolean;
  deletionProtection: boolean;
  logRetentionDays: LogRetentionDays;
  /** The guest web app; a table's QR code points at `${guestOrderingUrl}?t=<tableCode>`. */
  guestOrderingUrl: string;
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
  auth: {
    staffTokenTtlHours: number;
    /** Consecutive failed logins per username before a lockout. */
    loginMaxFailures: number;
    /** First lockout; each further lockout doubles, up to the maximum. */
    loginLockoutMinutes: number;
    loginMaxLockoutHours: number;
  };
  sessions: {
    /** A session not closed by staff ends after this many hours; its guest tokens with it. */
    ttlHours: number;
    /** Digits in a session PIN, 4 to 8. */
    pinLength: number;
    /** Consecutive wrong PINs before the session is blocked. */
    pinMaxFailures: number;
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
  loginLockoutMinutes: 15,
  loginMaxLockoutHours: 8,
};

const defaultSessions: StageConfig['sessions'] = {
  ttlHours: 8,
  pinLength: 4,
  pinMaxFailures: 5,
  pinLockoutMinutes: 15,
  pinMaxLockoutHours: 8,
  ipMaxFailuresPerHour: 50,
};

export const stages: Record<StageName, StageConfig> = {
  dev: {
    stage: 'dev',
    waf: false,
    retainData: false,
    pointInTimeRecovery: false,
    deletionProtection: false,
    logRetentionDays: 7,
    guestOrderingUrl: 'http://localhost:5173/t',
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
    retainData: false,
    pointInTimeRecovery: true,
    deletionProtection: false,
    logRetentionDays: 30,
    guestOrderingUrl: 'https://staging.order.example.com/t',
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
    retainData: true,
    pointInTimeRecovery: true,
    deletionProtection: true,
    logRetentionDays: 365,
    guestOrderingUrl: 'https://order.example.com/t',
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

export const stackNames = (stage: StageName) => ({
  data: `QrOrdering-${stage}-Data`,
  api: `QrOrdering-${stage}-Api`,
  realtime: `QrOrdering-${stage}-Realtime`,
});

/** The functions' environment (validated by shared/config/env.ts when a function starts). */
export function functionEnvironment(config: StageConfig, tableName: string): Record<string, string> {
  const { auth, sessions } = config;
  return {
    STAGE: config.stage,
    TABLE_NAME: tableName,
    POWERTOOLS_SERVICE_NAME: 'qr-ordering',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    POWERTOOLS_METRICS_NAMESPACE: `QrOrdering/${config.stage}`,
    GUEST_ORDERING_URL: config.guestOrderingUrl,
    CORS_ORIGIN: new URL(config.guestOrderingUrl).origin,
    STAFF_TOKEN_TTL_SECONDS: String(auth.staffTokenTtlHours * 3600),
    LOGIN_MAX_FAILURES: String(auth.loginMaxFailures),
    LOGIN_LOCKOUT_SECONDS: String(auth.loginLockoutMinutes * 60),
    LOGIN_MAX_LOCKOUT_SECONDS: String(auth.loginMaxLockoutHours * 3600),
    SESSION_TTL_SECONDS: String(sessions.ttlHours * 3600),
    PIN_LENGTH: String(sessions.pinLength),
    PIN_MAX_FAILURES: String(sessions.pinMaxFailures),
    PIN_LOCKOUT_SECONDS: String(sessions.pinLockoutMinutes * 60),
    PIN_MAX_LOCKOUT_SECONDS: String(sessions.pinMaxLockoutHours * 3600),
    IP_MAX_FAILURES_PER_HOUR: String(sessions.ipMaxFailuresPerHour),
  };
}
