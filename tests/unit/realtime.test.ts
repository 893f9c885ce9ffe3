import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, fitFrame } from '../../shared/realtime/messages';
import { passesStreamFilters } from '../../shared/realtime/stream-filters';

const record = (eventName: string, image: Record<string, unknown>, which: 'NewImage' | 'OldImage' = 'NewImage') => ({
  eventName,
  dynamodb: { [which]: marshall(image) },
});

describe('stream filter patterns', () => {
  it('pass the changes that can produce messages and token removals, nothing else', () => {
    expect(passesStreamFilters(record('MODIFY', { type: 'Cart' }))).toBe(true);
    expect(passesStreamFilters(record('INSERT', { type: 'Order' }))).toBe(true);
    expect(passesStreamFilters(record('MODIFY', { type: 'MenuItem' }))).toBe(true);
    expect(passesStreamFilters(record('REMOVE', { type: 'Token' }, 'OldImage'))).toBe(true);
    expect(passesStreamFilters(record('INSERT', { type: 'AuditEntry' }))).toBe(false);
    expect(passesStreamFilters(record('MODIFY', { type: 'Token' }))).toBe(false);
    expect(passesStreamFilters(record('REMOVE', { type: 'Cart' }, 'OldImage'))).toBe(false);
  });
});

describe('frame size', () => {
  const message = (size: number) => ({ type: 'cart.updated', id: 'e:1', at: '2030-01-01T00:00:00.000Z', data: { blob: 'x'.repeat(size) } });

  it('keeps messages under the 32 KB WebSocket frame, sending a smaller event instead', () => {
    expect(fitFrame(message(100), { version: 3 })).toEqual(message(100));
    const fitted = fitFrame(message(40 * 1024), { version: 3 });
    expect(fitted).toEqual({ type: 'cart.updated', id: 'e:1', at: '2030-01-01T00:00:00.000Z', data: { truncated: true, version: 3 } });
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBeLessThan(MAX_MESSAGE_BYTES);
  });
});
