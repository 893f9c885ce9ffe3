import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { toCartView } from '../cart/cart';
import { FAMILY_CART, toCart } from '../db/carts';
import type { ChannelMember } from '../db/connections';
import { toOrder } from '../db/orders';
import type { Order } from '../db/orders';
import { toTicket } from '../kitchen/ticket';
import { toOrderView } from '../orders/orders';
import { toServiceRequest } from '../db/service-requests';
import { toServiceRequestView } from '../sessions/service-requests';
import { channels } from './channels';
import { ENTITY } from '../db/entities';
import { tokenHashOf } from '../db/keys';
import type { GuestMessageData, StaffMessageData } from '../contract/messages';

/** Every server message: `id` is derived from the stream record (or the change it reports), so a redelivered record repeats it. */
export interface ServerMessage {
  type: string;
  id: string;
  at: string;
  data: unknown;
}

/** A message for the members of one channel; `build` returns undefined for members it is not for. */
export interface Delivery {
  channel: string;
  build: (member: ChannelMember) => ServerMessage | undefined;
}

export interface RecordPlan {
  deliveries: Delivery[];
  /** After delivering: close every connection of this channel (a closed session). */
  closeChannel?: string;
  /** Close the connections this token opened (a revoked or expired token). */
  closeTokenConnections?: string;
  /**
   * A guest's token: if that guest was removed, its sockets hear `message` before they close. The
   * guest's own record says so too, but it may be delivered later: it is another partition, maybe
   * in another lane of the stream.
   */
  ifGuestRemoved?: { sessionId: string; guestId: string; message: ServerMessage };
}

/** API Gateway's WebSocket frame limit is 32 KB; keep a margin for the envelope. */
export const MAX_MESSAGE_BYTES = 32 * 1024 - 512;

/**
 * Keeps a message under the frame limit: one too large becomes the same event without its payload,
 * `{truncated: true}` plus the ids, and the client sends `sync` for the full state.
 */
export function fitFrame(message: ServerMessage, ids: Record<string, unknown>): ServerMessage {
  if (Buffer.byteLength(JSON.stringify(message)) <= MAX_MESSAGE_BYTES) return message;
  return { ...message, data: { truncated: true, ...ids } };
}

const image = (value: Record<string, AttributeValue> | undefined) =>
  value ? unmarshall(value as Record<string, SdkAttributeValue>) : undefined;

const isGuest = (member: ChannelMember) => member.kind === 'guest';
const isStaff = (member: ChannelMember) => member.kind === 'staff';
/** INDIVIDUAL guests see only what is theirs. */
const sees = (member: ChannelMember, owner: string) => isGuest(member) && (member.mode !== 'INDIVIDUAL' || member.guestId === owner);

/** Builds one record's messages, typed by the contract's message maps (shared/contract/messages.ts) that the apps read them with. */
interface Envelopes {
  guest<K extends keyof GuestMessageData>(type: K, data: GuestMessageData[K]): ServerMessage;
  staff<K extends keyof StaffMessageData>(type: K, data: StaffMessageData[K]): ServerMessage;
}

function orderPlan(order: Order, before: Order | undefined, envelope: Envelopes): RecordPlan {
  const created = before === undefined;
  const ids = { orderId: order.orderId };
  const guestMessage = created
    ? fitFrame(envelope.guest('order.placed', { order: toOrderView(order) }), ids)
    : fitFrame(
        envelope.guest('order.updated', { orderId: order.orderId, status: order.status, lines: order.lines.map(({ lineId, status }) => ({ lineId, status })) }),
        ids,
      );
  return {
    deliveries: [
      { channel: channels.session(order.sessionId), build: (member) => (sees(member, order.placedBy) ? guestMessage : undefined) },
      {
        channel: channels.kitchen(order.restaurantId),
        build: (member) => {
          if (!isStaff(member)) return undefined;
          const ticket = toTicket(order, member.station);
          return ticket && fitFrame(envelope.staff(created ? 'ticket.created' : 'ticket.updated', { ticket }), ids);
        },
      },
      // Every live line ready: food to run. The floor hears it once, when the ticket becomes READY.
      ...(before && before.status !== 'READY' && order.status === 'READY'
        ? [
            {
              channel: channels.floor(order.restaurantId),
              build: (member: ChannelMember) =>
                isStaff(member)
                  ? envelope.staff('ticket.ready', { orderId: order.orderId, number: order.number, tableName: order.tableName, sessionId: order.sessionId })
                  : undefined,
            },
          ]
        : []),
    ],
  };
}

/**
 * `guest.removed`, with one id per removal: the removed guest may hear it twice (from the guest's
 * record and from their token's revocation) and drops the second.
 */
const guestRemoved = (sessionId: string, guestId: string, at: string): ServerMessage => ({
  type: 'guest.removed',
  id: `${sessionId}:${guestId}:guest.removed`,
  at,
  data: { guestId } satisfies GuestMessageData['guest.removed'],
});

/**
 * Maps one stream record to what it means for connected clients. Handlers only write; this is the
 * only place that decides who hears about a change. Kitchen messages come from the price-free
 * ticket projection only.
 */
export function planRecord(record: DynamoDBRecord): RecordPlan {
  const after = image(record.dynamodb?.NewImage);
  const before = image(record.dynamodb?.OldImage);
  const type = (after ?? before)?.type;
  const at = new Date((record.dynamodb?.ApproximateCreationDateTime ?? Date.now() / 1000) * 1000).toISOString();
  const build = (messageType: string, data: unknown): ServerMessage => ({ type: messageType, id: `${record.eventID}:${messageType}`, at, data });
  const envelope: Envelopes = { guest: build, staff: build };
  const none: RecordPlan = { deliveries: [] };

  if (record.eventName === 'REMOVE') {
    if (type !== ENTITY.token || !before) return none;
    const closeTokenConnections = tokenHashOf(String(before.pk));
    if (before.kind !== 'guest') return { deliveries: [], closeTokenConnections };
    const [sessionId, guestId] = [String(before.sessionId), String(before.guestId)];
    return { deliveries: [], closeTokenConnections, ifGuestRemoved: { sessionId, guestId, message: guestRemoved(sessionId, guestId, at) } };
  }
  if (!after) return none;

  switch (type) {
    case ENTITY.cart: {
      if (record.eventName !== 'MODIFY') return none; // a new, empty cart is nobody's news
      const cart = toCart(after);
      const message = fitFrame(envelope.guest('cart.updated', { cart: toCartView(cart) }), { version: cart.version });
      return {
        deliveries: [
          {
            channel: channels.session(cart.sessionId),
            build: (member) => (isGuest(member) && (cart.owner === FAMILY_CART || member.guestId === cart.owner) ? message : undefined),
          },
        ],
      };
    }
    case ENTITY.order:
      return orderPlan(toOrder(after), record.eventName === 'INSERT' ? undefined : toOrder(before ?? after), envelope);
    case ENTITY.tableSession: {
      if (before?.status !== 'OPEN' || after.status !== 'CLOSED') return none;
      const channel = channels.session(String(after.sessionId));
      const message = envelope.guest('session.closed', { sessionId: String(after.sessionId) });
      return { deliveries: [{ channel, build: (member) => (isGuest(member) ? message : undefined) }], closeChannel: channel };
    }
    case ENTITY.joinRequest: {
      if (record.eventName !== 'INSERT' || !after.visible) return none;
      const { joinRequestId, sessionId, tableName, guestName, requestedAt } = after as { joinRequestId: string; sessionId: string; tableName?: string; guestName?: string; requestedAt: string };
      const toTable = envelope.guest('join.requested', { joinRequestId, guestName: guestName ?? null, at: requestedAt });
      const toFloor = envelope.staff('join.requested', { joinRequestId, sessionId, tableName: tableName ?? null, guestName: guestName ?? null });
      return {
        deliveries: [
          { channel: channels.session(String(sessionId)), build: (member) => (isGuest(member) ? toTable : undefined) },
          { channel: channels.floor(String(after.restaurantId)), build: (member) => (isStaff(member) ? toFloor : undefined) },
        ],
      };
    }
    case ENTITY.pinGuard: {
      if (before?.guardedAt || !after.guardedAt) return none;
      const message = envelope.staff('session.guarded', { sessionId: String(after.sessionId), tableName: (after.tableName as string | undefined) ?? null });
      return { deliveries: [{ channel: channels.floor(String(after.restaurantId)), build: (member) => (isStaff(member) ? message : undefined) }] };
    }
    case ENTITY.serviceRequest: {
      const request = toServiceRequest(after);
      const view = toServiceRequestView(request);
      const toFloor = (type: 'service.requested' | 'service.acknowledged') => ({
        channel: channels.floor(request.restaurantId),
        build: (member: ChannelMember) => (isStaff(member) ? envelope.staff(type, { request: view }) : undefined),
      });
      if (record.eventName === 'INSERT') return { deliveries: [toFloor('service.requested')] };
      if (before?.status !== 'OPEN' || request.status !== 'ACKNOWLEDGED') return none;
      // The table hears that someone is coming, never the bill's total.
      const toTable = envelope.guest('service.acknowledged', { requestId: request.requestId, type: request.requestType });
      return {
        deliveries: [toFloor('service.acknowledged'), { channel: channels.session(request.sessionId), build: (member) => (isGuest(member) ? toTable : undefined) }],
      };
    }
    case ENTITY.guest: {
      if (!before || before.removedAt || !after.removedAt) return none;
      const message = guestRemoved(String(after.sessionId), String(after.guestId), at);
      return { deliveries: [{ channel: channels.session(String(after.sessionId)), build: (member) => (isGuest(member) ? message : undefined) }] };
    }
    case ENTITY.menuItem: {
      const available = (item: Record<string, unknown> | undefined) => Boolean(item?.available) && !item?.archivedAt;
      // Guests hear when a dish comes or goes: sold out, back, or new on the menu (their app reads the menu again for a new one).
      if (before ? available(before) === available(after) : !available(after)) return none;
      const message = envelope.guest('menu.item.updated', { itemId: String(after.itemId), available: available(after) });
      return { deliveries: [{ channel: channels.guests(String(after.restaurantId)), build: (member) => (isGuest(member) ? message : undefined) }] };
    }
    default:
      return none;
  }
}
