import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { localClient } from '../../lib/local/dynamodb-local';
import { POSTS_PER_INVOCATION } from '../../shared/realtime/posting';
import { moneyKeys } from '../support/price-free';
import { startRuntime } from './support/local-runtime';
import type { RunningRuntime } from './support/local-runtime';
import { TestSocket } from './support/socket';
import { staffFixtures } from './support/staff';
import type { TestRestaurant } from './support/staff';

let runtime: RunningRuntime;
const { api, createRestaurantWithCli, hire } = staffFixtures(() => runtime);
let restaurant: TestRestaurant;
let steak: string;
let salad: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  runtime = await startRuntime();
  restaurant = await createRestaurantWithCli('Live Bistro');
  const dish = async (name: string, station: string) =>
    (
      await api('POST', `/v1/restaurants/${restaurant.restaurantId}/menu/items`, {
        token: restaurant.ownerToken,
        body: { name, category: 'Mains', priceCents: 2000, station },
      })
    ).body.itemId as string;
  [steak, salad] = [await dish('Steak', 'GRILL'), await dish('Salad', 'COLD')];
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

afterAll(async () => {
  await runtime?.stop();
});

const connect = async (token: string, via: 'query' | 'header' = 'query') => {
  const socket = await TestSocket.open(runtime.webSocketUrl, token, via);
  sockets.push(socket);
  return socket;
};

let ip = 0;
async function openTable(mode: 'FAMILY' | 'INDIVIDUAL') {
  const table = await api('POST', `/v1/restaurants/${restaurant.restaurantId}/tables`, { token: restaurant.ownerToken, body: { name: `Live ${++ip}` } });
  const session = await api('POST', `/v1/restaurants/${restaurant.restaurantId}/tables/${table.body.tableId}/sessions`, {
    token: restaurant.ownerToken,
    body: { mode },
  });
  const phone = async () => {
    const joined = await api('POST', '/v1/sessions/join', { body: { tableCode: table.body.tableCode, pin: session.body.pin }, ip: `198.19.1.${ip % 250}` });
    return joined.body as { token: string; guestId: string; sessionId: string };
  };
  return { sessionId: session.body.sessionId as string, phone };
}
const add = (token: string, itemId: string) => api('POST', '/v1/cart/lines', { token, body: { itemId, quantity: 1 } });
const place = (token: string, cartVersion: number) =>
  api('POST', '/v1/orders', { token, body: { cartVersion }, headers: { 'idempotency-key': randomUUID() } });

describe('guests', () => {
  it('see each other’s changes to a FAMILY cart', async () => {
    const { phone } = await openTable('FAMILY');
    const [ada, bob] = [await phone(), await phone()];
    const [adaSocket, bobSocket] = [await connect(ada.token), await connect(bob.token, 'header')];
    const added = await add(ada.token, steak);

    const seen = await bobSocket.waitFor((m) => m.type === 'cart.updated' && m.data.cart.version === added.body.version);
    expect(seen).toEqual({ type: 'cart.updated', id: expect.any(String), at: expect.any(String), data: { cart: added.body } });
    await adaSocket.waitFor((m) => m.type === 'cart.updated' && m.id === seen.id);
  });

  it('in INDIVIDUAL sessions get only their own cart and orders', async () => {
    const { phone } = await openTable('INDIVIDUAL');
    const [ada, bob] = [await phone(), await phone()];
    const [adaSocket, bobSocket] = [await connect(ada.token), await connect(bob.token)];
    const adaCart = await add(ada.token, steak);
    await place(ada.token, adaCart.body.version);
    await adaSocket.waitFor((m) => m.type === 'order.placed');
    await add(bob.token, salad);
    await bobSocket.waitFor((m) => m.type === 'cart.updated');

    expect(bobSocket.messages.filter((m) => m.type === 'cart.updated').map((m) => m.data.cart.lines[0].itemId)).toEqual([salad]);
    expect(bobSocket.messages.filter((m) => m.type.startsWith('order.'))).toEqual([]);
  });

  it('hear that the session closed, and cannot reconnect', async () => {
    const { phone, sessionId } = await openTable('FAMILY');
    const guest = await phone();
    const socket = await connect(guest.token);
    await api('POST', `/v1/restaurants/${restaurant.restaurantId}/sessions/${sessionId}/close`, { token: restaurant.ownerToken });

    const closed = await socket.waitFor((m) => m.type === 'session.closed');
    expect(closed.data).toEqual({ sessionId });
    await socket.closed();
    await expect(TestSocket.open(runtime.webSocketUrl, guest.token)).rejects.toMatchObject({ status: 403 });
    // The closed socket's $disconnect forgets it: the session's channel has no member left.
    const db = DynamoDBDocumentClient.from(localClient(inject('dynamoDbEndpoint')));
    const members = async () =>
      (await db.send(new QueryCommand({ TableName: inject('tableName'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `CHANNEL#session#${sessionId}` } }))).Items ?? [];
    for (let i = 0; i < 50 && (await members()).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await members()).toEqual([]);
  });

  it('hear when a dish is 86ed', async () => {
    const { phone } = await openTable('FAMILY');
    const socket = await connect((await phone()).token);
    await api('PATCH', `/v1/restaurants/${restaurant.restaurantId}/menu/items/${salad}`, { token: restaurant.ownerToken, body: { available: false } });
    expect((await socket.waitFor((m) => m.type === 'menu.item.updated')).data).toEqual({ itemId: salad, available: false });
    await api('PATCH', `/v1/restaurants/${restaurant.restaurantId}/menu/items/${salad}`, { token: restaurant.ownerToken, body: { available: true } });
    await socket.waitFor((m) => m.type === 'menu.item.updated' && m.data.available === true);
  });
  it('all hear an 86 when a restaurant has more sockets than one delivery invocation posts to (the fan-out spreads them through the Lambda API)', async () => {
    // A token holds 5 sockets: 32 guests at 4 tables give 160, more than one invocation's share.
    const guests = (await Promise.all(Array.from({ length: 4 }, () => openTable('FAMILY')))).map(({ phone }) => Promise.all(Array.from({ length: 8 }, phone)));
    const tokens = (await Promise.all(guests)).flat().map((guest) => guest.token);
    const phones = (await Promise.all(tokens.map((token) => Promise.all(Array.from({ length: 5 }, () => connect(token)))))).flat();
    expect(phones.length).toBeGreaterThan(POSTS_PER_INVOCATION);

    const soup = (await api('POST', `/v1/restaurants/${restaurant.restaurantId}/menu/items`, { token: restaurant.ownerToken, body: { name: 'Soup', category: 'Starters', priceCents: 700, station: 'COLD' } })).body.itemId;
    await api('PATCH', `/v1/restaurants/${restaurant.restaurantId}/menu/items/${soup}`, { token: restaurant.ownerToken, body: { available: false } });

    await Promise.all(phones.map((phone) => phone.waitFor((m) => m.type === 'menu.item.updated' && m.data.itemId === soup && m.data.available === false, 15_000)));
    // Each share was posted by an invocation of the delivery function (its report comes just after its posts).
    const deliveries = () =>
      runtime
        .logs()
        .split('\n')
        .filter((line) => line.includes('"invocation"') && line.includes('functions/streams/deliver.ts'))
        .map((line) => JSON.parse(line) as { error: boolean });
    await expect.poll(() => deliveries().length).toBeGreaterThanOrEqual(2);
    expect(deliveries().every((invocation) => !invocation.error)).toBe(true);
  });
});

describe('kitchen screens', () => {
  it('get ticket.created and ticket.updated, price-free, filtered by their subscribed station', async () => {
    const kitchen = await hire(restaurant, 'KITCHEN');
    const [allStations, grill] = [await connect(kitchen.token), await connect(kitchen.token)];
    expect((await grill.request({ action: 'subscribe', station: 'grill' }, 'subscribed')).data).toEqual({ station: 'GRILL' });

    const { phone } = await openTable('FAMILY');
    const guest = await phone();
    await add(guest.token, steak);
    const cart = await add(guest.token, salad);
    const order = await place(guest.token, cart.body.version);

    const created = await allStations.waitFor((m) => m.type === 'ticket.created' && m.data.ticket.orderId === order.body.orderId);
    expect(created.data.ticket.lines.map((l: { station: string }) => l.station)).toEqual(['GRILL', 'COLD']);
    const grillTicket = await grill.waitFor((m) => m.type === 'ticket.created' && m.data.ticket.orderId === order.body.orderId);
    expect(grillTicket.data.ticket.lines.map((l: { name: string }) => l.name)).toEqual(['Steak']);

    const saladLine = order.body.lines[1].lineId;
    await api('PATCH', `/v1/restaurants/${restaurant.restaurantId}/kitchen/orders/${order.body.orderId}/lines/${saladLine}`, {
      token: kitchen.token,
      body: { status: 'IN_PROGRESS' },
    });
    const updated = await allStations.waitFor((m) => m.type === 'ticket.updated' && m.data.ticket.orderId === order.body.orderId);
    expect(updated.data.ticket.lines[1]).toMatchObject({ lineId: saladLine, status: 'IN_PROGRESS' });
    const guestSocketless = await api('GET', `/v1/orders/${order.body.orderId}`, { token: guest.token });
    expect(guestSocketless.body.status).toBe('IN_PROGRESS');

    // A COLD-only change has nothing for the grill: only the screen following all stations hears it.
    await allStations.waitFor((m) => m.type === 'ticket.updated');
    expect(grill.messages.filter((m) => m.type === 'ticket.updated' && m.data.ticket.lines.some((l: { station: string }) => l.station !== 'GRILL'))).toEqual([]);

    for (const socket of [allStations, grill]) expect(moneyKeys(socket.messages)).toEqual([]);
  });

  it('sync to the active tickets and answer ping', async () => {
    const kitchen = await hire(restaurant, 'KITCHEN');
    const screen = await connect(kitchen.token);
    const snapshot = await screen.request({ action: 'sync' }, 'snapshot');
    expect(Array.isArray(snapshot.data.tickets)).toBe(true);
    expect(moneyKeys(snapshot)).toEqual([]);
    expect(await screen.request({ action: 'ping' }, 'pong')).toMatchObject({ type: 'pong', id: expect.any(String) });
    expect((await screen.request({ action: 'dance' }, 'error')).data).toMatchObject({ code: 'UNKNOWN_ACTION' });
    expect((await screen.request('not json', 'error')).data).toMatchObject({ code: 'BAD_JSON' });
  });
});

describe('connections', () => {
  it('give a guest a snapshot of session, cart and orders on sync', async () => {
    const { phone, sessionId } = await openTable('FAMILY');
    const guest = await phone();
    await add(guest.token, steak);
    const socket = await connect(guest.token);
    const snapshot = await socket.request({ action: 'sync' }, 'snapshot');
    expect(snapshot.data.session).toMatchObject({ sessionId, status: 'OPEN', guestId: guest.guestId });
    expect(snapshot.data.cart.lines).toHaveLength(1);
    expect(snapshot.data.orders).toEqual([]);
    expect((await socket.request({ action: 'subscribe', station: 'GRILL' }, 'error')).data.code).toBe('FORBIDDEN');
  });

  it('hold at most 5 sockets per token: the 6th handshake is refused, closing one frees a slot', async () => {
    const { phone } = await openTable('FAMILY');
    const guest = await phone();
    const five = await Promise.all(Array.from({ length: 5 }, () => connect(guest.token)));
    await expect(TestSocket.open(runtime.webSocketUrl, guest.token)).rejects.toMatchObject({ status: 429 });
    five[0]?.ws.close();
    await five[0]?.closed();
    // The slot is freed by $disconnect, a moment after the close.
    let sixth: TestSocket | undefined;
    for (let attempt = 0; attempt < 20 && !sixth; attempt++) {
      sixth = await connect(guest.token).catch(async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return undefined;
      });
    }
    expect(sixth).toBeDefined();
    // Another token of the same guest has slots of its own.
    const waiter = await hire(restaurant, 'WAITER');
    expect(await connect(waiter.token)).toBeDefined();
  });

  it('serve at most one sync per second per connection; the socket stays usable', async () => {
    const { phone } = await openTable('FAMILY');
    const socket = await connect((await phone()).token);
    expect((await socket.request({ action: 'sync' }, 'snapshot')).type).toBe('snapshot');
    const refused = await socket.request({ action: 'sync' }, 'error');
    expect(refused.data).toMatchObject({ code: 'RATE_LIMITED' });
    expect((await socket.request({ action: 'ping' }, 'pong')).type).toBe('pong');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await socket.request({ action: 'sync' }, 'snapshot')).type).toBe('snapshot');
  });

  it('refuse a bad or revoked token at the handshake, and close sockets of a revoked token', async () => {
    await expect(TestSocket.open(runtime.webSocketUrl, 'gt_not-a-real-token')).rejects.toMatchObject({ status: 403 });
    const waiter = await hire(restaurant, 'WAITER');
    const socket = await connect(waiter.token);
    await api('POST', '/v1/logout', { token: waiter.token });
    await socket.closed();
    await expect(TestSocket.open(runtime.webSocketUrl, waiter.token)).rejects.toMatchObject({ status: 403 });
    await expect(TestSocket.open(`${runtime.webSocketUrl}`, '')).rejects.toMatchObject({ status: 403 });
  });

  it('keep delivering to everyone else when a client vanished without closing, and forget it', async () => {
    const { phone, sessionId } = await openTable('FAMILY');
    const guest = await phone();
    const socket = await connect(guest.token);
    const db = DynamoDBDocumentClient.from(localClient(inject('dynamoDbEndpoint')));
    const ghost = `ghost${randomUUID()}`;
    const member = { pk: `CHANNEL#session#${sessionId}`, sk: `CONNECTION#${ghost}` };
    await db.send(
      new PutCommand({
        TableName: inject('tableName'),
        Item: { ...member, type: 'ChannelMember', connectionId: ghost, kind: 'guest', guestId: guest.guestId, mode: 'FAMILY', station: null },
      }),
    );

    await add(guest.token, steak);
    await socket.waitFor((m) => m.type === 'cart.updated');
    for (let i = 0; i < 50; i++) {
      const { Items } = await db.send(
        new QueryCommand({ TableName: inject('tableName'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': member.pk } }),
      );
      if (!Items?.some((item) => item.sk === member.sk)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the vanished connection was not forgotten');
  });
});
