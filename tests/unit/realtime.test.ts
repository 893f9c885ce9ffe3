import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ChannelMember } from '../../shared/db/connections';
import { MAX_MESSAGE_BYTES, fitFrame, planRecord } from '../../shared/realtime/messages';
import { passesStreamFilters } from '../../shared/realtime/stream-filters';
import { orderItem, orderLine } from '../support/stream-records';

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

describe('the fan-out planner', () => {
  const order = orderItem([
    orderLine({ lineId: 'L1', itemId: 'I1', name: 'Ribeye', unitPriceCents: 1800, notes: 'rare' }),
    orderLine({ lineId: 'L2', itemId: 'I2', name: 'Salad', unitPriceCents: 500, station: 'COLD', allergens: ['mustard'] }),
  ]);
  const inserted = (item: Record<string, unknown>): DynamoDBRecord => ({
    eventID: 'e1',
    eventName: 'INSERT',
    dynamodb: { ApproximateCreationDateTime: 1_900_000_000, NewImage: marshall(item) as never },
  });
  const guest = (guestId: string, mode: 'FAMILY' | 'INDIVIDUAL'): ChannelMember => ({ connectionId: `c-${guestId}`, kind: 'guest', guestId, mode });
  const screen = (station: string | null): ChannelMember => ({ connectionId: `k-${station}`, kind: 'staff', station });
  const deliveriesTo = (plan: ReturnType<typeof planRecord>, channel: string, member: ChannelMember) =>
    plan.deliveries.filter((d) => d.channel === channel).map((d) => d.build(member));

  it('tells INDIVIDUAL guests only of their own orders, FAMILY guests of every order', () => {
    const plan = planRecord(inserted(order));
    expect(deliveriesTo(plan, 'session#S1', guest('alice', 'INDIVIDUAL'))).toEqual([expect.objectContaining({ type: 'order.placed' })]);
    expect(deliveriesTo(plan, 'session#S1', guest('bob', 'INDIVIDUAL'))).toEqual([undefined]);
    expect(deliveriesTo(plan, 'session#S1', guest('bob', 'FAMILY'))).toEqual([expect.objectContaining({ type: 'order.placed' })]);
    expect(deliveriesTo(plan, 'session#S1', screen(null))).toEqual([undefined]);
  });

  it('gives kitchen screens a price-free ticket of their station only', () => {
    const plan = planRecord(inserted(order));
    const [grill] = deliveriesTo(plan, 'kitchen#R1', screen('GRILL'));
    expect(grill).toMatchObject({ type: 'ticket.created', data: { ticket: { orderId: 'O1', tableName: 'Table 7' } } });
    expect((grill?.data as { ticket: { lines: { lineId: string }[] } }).ticket.lines.map((l) => l.lineId)).toEqual(['L1']);
    expect(JSON.stringify(grill)).not.toMatch(/cents|price|total/i);
    expect(deliveriesTo(plan, 'kitchen#R1', screen('PASTRY'))).toEqual([undefined]);
    expect(deliveriesTo(plan, 'kitchen#R1', guest('alice', 'FAMILY'))).toEqual([undefined]);
  });

  it("closes a removed token's sockets, and plans nothing for items nobody hears of", () => {
    const removed: DynamoDBRecord = { eventID: 'e2', eventName: 'REMOVE', dynamodb: { OldImage: marshall({ pk: 'TOKEN#abc', sk: 'TOKEN', type: 'Token' }) as never } };
    expect(planRecord(removed)).toEqual({ deliveries: [], closeTokenConnections: 'abc' });
    expect(planRecord(inserted({ pk: 'AUDIT#R1', sk: 'x', type: 'AuditEntry' }))).toEqual({ deliveries: [] });
  });
});
