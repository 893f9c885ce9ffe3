/**
 * Faults the local runtime can inject at the wire, as a busy Friday night brings them: between the
 * functions and DynamoDB Local (`--dynamodb-faults`), and on the fan-out's `@connections` posts
 * (`--connection-faults`). What is injected, where and how often is a plan; which call gets which
 * fault comes from a seeded generator, so a run can be repeated.
 */

/** DynamoDB's answers when it cannot serve a call, and what the network does to one. */
export const DYNAMODB_FAULTS = [
  /** 400 ProvisionedThroughputExceededException: the SDK backs off and retries. */
  'throttle',
  /** 500 InternalServerError, before the call reaches the table. */
  'error500',
  /** No answer at all until the client gives up (its request timeout). */
  'timeout',
  /** The connection reset before the call reaches the table. */
  'reset',
  /** The call is applied, then the connection resets before the answer: the write happened, the caller does not know. */
  'lostAnswer',
] as const;
export type DynamoDbFault = (typeof DYNAMODB_FAULTS)[number];

/** What API Gateway's @connections API answers when it cannot deliver now. */
export const CONNECTION_FAULTS = [
  /** 429 LimitExceededException: the account's post rate is exceeded. */
  'limit',
  /** 500 InternalServerErrorException. */
  'error500',
  /** Delivered, but the answer takes seconds. */
  'slow',
  /** 410 GoneException although the socket is open: the fan-out forgets it. */
  'gone',
] as const;
export type ConnectionFault = (typeof CONNECTION_FAULTS)[number];

export interface FaultPlan<K extends string> {
  /** The share of calls (0–1) that get a fault. */
  rate: number;
  kinds: readonly K[];
  /** Only these operations (DynamoDB API names, e.g. TransactWriteItems; POST or DELETE for @connections); all when absent. */
  operations?: readonly string[];
  seed: number;
}

/**
 * Reads `0.01` (every kind, every operation) or `rate=0.05,kinds=throttle+reset,ops=TransactWriteItems+PutItem,seed=7`.
 * Throws with what is wrong.
 */
export function parseFaultPlan<K extends string>(spec: string, allKinds: readonly K[]): FaultPlan<K> {
  const plan: FaultPlan<K> = { rate: 0, kinds: allKinds, seed: 1 };
  const parts = /^[\d.]+$/.test(spec) ? [`rate=${spec}`] : spec.split(',');
  for (const part of parts) {
    const [name, value = ''] = part.split('=');
    if (name === 'rate') plan.rate = Number(value);
    else if (name === 'seed') plan.seed = Number(value);
    else if (name === 'ops') plan.operations = value.split('+').filter(Boolean);
    else if (name === 'kinds') {
      const kinds = value.split('+');
      const unknown = kinds.find((kind) => !(allKinds as readonly string[]).includes(kind));
      if (unknown !== undefined) throw new Error(`unknown fault "${unknown}"; the kinds are ${allKinds.join(', ')}`);
      plan.kinds = kinds as K[];
    } else throw new Error(`unknown fault setting "${name}"; use rate, kinds, ops and seed`);
  }
  if (!(plan.rate >= 0 && plan.rate <= 1)) throw new Error('the fault rate is a share between 0 and 1');
  if (!Number.isInteger(plan.seed)) throw new Error('the fault seed is a whole number');
  return plan;
}

/** mulberry32: a small, fast generator whose sequence a seed fixes (also the bench's scale simulation). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decides, call by call, which fault (if any) to inject, and counts what it injected. */
export class FaultInjector<K extends string> {
  private readonly random: () => number;
  readonly injected = new Map<K, number>();
  calls = 0;

  constructor(private readonly plan: FaultPlan<K>) {
    this.random = seededRandom(plan.seed);
  }

  /** The fault for this call, or undefined to serve it as usual. */
  pick(operation: string): K | undefined {
    if (this.plan.operations && !this.plan.operations.includes(operation)) return undefined;
    this.calls++;
    if (this.random() >= this.plan.rate) return undefined;
    const kind = this.plan.kinds[Math.floor(this.random() * this.plan.kinds.length)] as K;
    this.injected.set(kind, (this.injected.get(kind) ?? 0) + 1);
    return kind;
  }

  /** `throttle 3, reset 1 of 512 calls`, for the logs. */
  summary(): string {
    return `${[...this.injected].map(([kind, count]) => `${kind} ${count}`).join(', ') || 'none'} of ${this.calls} calls`;
  }
}
