import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { ChannelMember } from '../../shared/db/connections';
import { coalesce } from '../../shared/realtime/coalesce';
import { planRecord } from '../../shared/realtime/messages';
import { moneyKeys } from '../support/price-free';
import { orderItem, orderLine } from '../support/stream-records';

const cart = (version: number) => ({ pk: 'SESSION#S1', sk: 'CART#FAMILY', type: 'Cart', sessionId: 'S1', owner: 'FAMILY', version, lines: {} });
const order = (statuses: string[]) =>
  orderItem(
    statuses.map((status, i) => orderLine({ lineId: `L${i}`, status })),
    { status: statuses.every((status) => status === 'READY') ? 'READY' : 'PLACED', revision: statuses.length },
  );

let sequence = 0;
function change(eventName: 'INSERT' | 'MODIFY', after: Record<string, unknown>, before?: Record<string, unknown>): DynamoDBRecord {
  sequence++;
  return {
    eventID: `e${sequence}`,
    eventName,
    dynamodb: {
      SequenceNumber: String(sequence),
      ApproximateCreationDateTime: 1_900_000_000,
      Keys: marshall({ pk: after.pk, sk: after.sk }) as never,
      NewImage: marshall(after) as never,
      ...(before ? { OldImage: marshall(before) as never } : {}),
    },
  };
}

const guest: ChannelMember = { connectionId: 'c-alice', kind: 'guest', guestId: 'alice', mode: 'FAMILY' };
const screen: ChannelMember = { connectionId: 'k-grill', kind: 'staff', station: null };
const floor: ChannelMember = { connectionId: 'f-1', kind: 'staff', station: null };
/** Every message the coalesced records plan for a member, in delivery order. */
const messagesFor = (records: DynamoDBRecord[], member: ChannelMember, channel: string) =>
  coalesce(records).flatMap(({ record }) =>
    planRecord(record)
      .deliveries.filter((delivery) => delivery.channel === channel)
      .flatMap((delivery) => delivery.build(member) ?? []),
  );

describe('coalescing a partition’s changes within a stream batch', () => {
  it('lets the last state of a cart win: three taps in one batch are one cart.updated with the last version', () => {
    const taps = [change('MODIFY', cart(2), cart(1)), change('MODIFY', cart(3), cart(2)), change('MODIFY', cart(4), cart(3))];
    const coalesced = coalesce(taps);
    expect(coalesced).toHaveLength(1);
    expect(coalesced[0]?.covers).toEqual(taps);
    const messages = messagesFor(taps, guest, 'session#S1');
    expect(messages.map((m) => [m.type, (m.data as { cart: { version: number } }).cart.version, m.id])).toEqual([['cart.updated', 4, `${taps[2]?.eventID}:cart.updated`]]);
  });

  it('never drops an order: the INSERT stays and is told as order.placed, later changes fold into one order.updated with the last lines', () => {
    const placed = change('INSERT', order(['QUEUED', 'QUEUED']));
    const started = change('MODIFY', order(['IN_PROGRESS', 'QUEUED']), order(['QUEUED', 'QUEUED']));
    const ready = change('MODIFY', order(['READY', 'READY']), order(['IN_PROGRESS', 'QUEUED']));
    const messages = messagesFor([placed, started, ready], guest, 'session#S1');
    expect(messages.map((m) => m.type)).toEqual(['order.placed', 'order.updated']);
    expect((messages[1]?.data as { lines: { status: string }[] }).lines.map((line) => line.status)).toEqual(['READY', 'READY']);
    // What changed across the folded records is still seen: the floor hears the ticket became READY.
    expect(messagesFor([placed, started, ready], floor, 'floor#R1').map((m) => m.type)).toEqual(['ticket.ready']);
  });

  it('keeps kitchen messages price-free and in order, other items’ records where they were', () => {
    const before = change('MODIFY', cart(2), cart(1));
    const placed = change('INSERT', order(['QUEUED']));
    const after = change('MODIFY', cart(3), cart(2));
    const moved = change('MODIFY', order(['IN_PROGRESS']), order(['QUEUED']));
    const coalesced = coalesce([before, placed, after, moved]);
    // The cart's two changes are one, delivered where the later one was, after the order was placed.
    expect(coalesced.map(({ record }) => record.eventID)).toEqual([placed.eventID, after.eventID, moved.eventID]);
    const kitchen = messagesFor([before, placed, after, moved], screen, 'kitchen#R1');
    expect(kitchen.map((m) => m.type)).toEqual(['ticket.created', 'ticket.updated']);
    expect(moneyKeys(kitchen)).toEqual([]);
  });

  it('folds nothing when every change is of a different item, or an event', () => {
    const records = [change('MODIFY', cart(2), cart(1)), change('INSERT', order(['QUEUED'])), change('MODIFY', { pk: 'SESSION#S1', sk: '#SESSION', type: 'TableSession', sessionId: 'S1', status: 'CLOSED' }, { pk: 'SESSION#S1', sk: '#SESSION', type: 'TableSession', sessionId: 'S1', status: 'OPEN' })];
    expect(coalesce(records).map(({ record }) => record)).toEqual(records);
  });
});
