import { IdempotencyPersistenceLayerError } from '@aws-lambda-powertools/idempotency';
import { describe, expect, it } from 'vitest';
import { DYNAMODB_FAULTS, FaultInjector, parseFaultPlan } from '../../lib/local/faults';
import { TransactionCancelledError } from '../../shared/db/transact';
import { isDatabaseUnavailable } from '../../shared/db/unavailable';

describe('fault plans', () => {
  it('read a bare rate as every kind on every operation, and the long form as written', () => {
    expect(parseFaultPlan('0.01', DYNAMODB_FAULTS)).toEqual({ rate: 0.01, kinds: DYNAMODB_FAULTS, seed: 1 });
    expect(parseFaultPlan('rate=0.5,kinds=throttle+reset,ops=TransactWriteItems+PutItem,seed=7', DYNAMODB_FAULTS)).toEqual({
      rate: 0.5,
      kinds: ['throttle', 'reset'],
      operations: ['TransactWriteItems', 'PutItem'],
      seed: 7,
    });
  });

  it('refuse unknown kinds and settings, and rates outside 0–1', () => {
    expect(() => parseFaultPlan('kinds=fire', DYNAMODB_FAULTS)).toThrow('unknown fault "fire"');
    expect(() => parseFaultPlan('often=1', DYNAMODB_FAULTS)).toThrow('unknown fault setting "often"');
    expect(() => parseFaultPlan('rate=2', DYNAMODB_FAULTS)).toThrow('between 0 and 1');
  });

  it('inject at the planned rate, only on the planned operations, the same calls for the same seed', () => {
    const plan = parseFaultPlan('rate=0.1,ops=GetItem,seed=3', DYNAMODB_FAULTS);
    const first = new FaultInjector(plan);
    const second = new FaultInjector(plan);
    const picks = Array.from({ length: 10_000 }, () => first.pick('GetItem'));
    expect(Array.from({ length: 10_000 }, () => second.pick('GetItem'))).toEqual(picks);
    const injected = picks.filter(Boolean).length;
    expect(injected).toBeGreaterThan(850);
    expect(injected).toBeLessThan(1150);
    expect(first.pick('Query')).toBeUndefined();
    expect(first.summary()).toMatch(/of 10000 calls$/);
  });
});

describe('isDatabaseUnavailable', () => {
  const sdkError = (name: string, httpStatusCode: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });

  it('takes throttles, DynamoDB 5xx, timeouts and resets for unavailability', () => {
    for (const error of [
      sdkError('ProvisionedThroughputExceededException', 400),
      sdkError('ThrottlingException', 400),
      sdkError('InternalServerError', 500),
      sdkError('SomethingNew', 503),
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      Object.assign(new Error('timed out'), { name: 'TimeoutError' }),
      new TransactionCancelledError(new Map([['cart', 'None'], ['order', 'ThrottlingError']])),
      // Powertools wraps the DynamoDB error when it cannot save its idempotency record.
      new IdempotencyPersistenceLayerError('Failed to save in progress record to idempotency store', { cause: Object.assign(new Error('timed out'), { name: 'TimeoutError' }) }),
    ]) {
      expect(isDatabaseUnavailable(error), String(error)).toBe(true);
    }
  });

  it('never takes a failed condition, a validation error or a bug of ours for it', () => {
    for (const error of [
      sdkError('ConditionalCheckFailedException', 400),
      sdkError('ValidationException', 400),
      new TransactionCancelledError(new Map([['cart', 'ConditionalCheckFailed']])),
      new TypeError('x is undefined'),
      new IdempotencyPersistenceLayerError('Failed to save in progress record to idempotency store', { cause: new TypeError('x is undefined') }),
      undefined,
      'a string',
    ]) {
      expect(isDatabaseUnavailable(error), String(error)).toBe(false);
    }
  });
});
