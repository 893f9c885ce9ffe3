import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { send } from '../../bin/fuzz/wire';
import type { WireRequest, WireResponse } from '../../bin/fuzz/wire';
import { startRuntime } from './support/local-runtime';
import type { RunningRuntime } from './support/local-runtime';
import { TestSocket } from './support/socket';
import { staffFixtures } from './support/staff';
import type { TestRestaurant } from './support/staff';

/** What fuzzing found once (API.md's error shape for everything; issue "Faults and bad input"), held by exact requests. */

let runtime: RunningRuntime;
const { api, createRestaurantWithCli, hire } = staffFixtures(() => runtime);
let a: TestRestaurant;
let waiter: string;
let itemId: string;
let guest: { token: string; guestId: string; sessionId: string };
let table: { tableCode: string; pin: string };

const newIp = () => `198.18.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const raw = (request: Partial<WireRequest> & { path: string }) =>
  send(runtime.url, { method: 'GET', ...request, headers: [['X-Forwarded-For', newIp()], ...(request.headers ?? [])] });

/** The contract's error shape, its request id the same in the body and the X-Request-Id header. */
function expectRefusal(response: WireResponse, status: number, code: string) {
  expect(response.status, response.text).toBe(status);
  expect(response.headers['content-type']).toMatch(/application\/json/);
  const body = JSON.parse(response.text);
  expect(body).toEqual({ error: { code, message: expect.any(String), requestId: expect.any(String), details: expect.any(Object) } });
  expect(response.headers['x-request-id']).toBe(body.error.requestId);
  return body.error;
}

beforeAll(async () => {
  runtime = await startRuntime();
  a = await createRestaurantWithCli('Hostile Bistro');
  waiter = (await hire(a, 'WAITER')).token;
  itemId = (await api('POST', `/v1/restaurants/${a.restaurantId}/menu/items`, { token: a.ownerToken, body: { name: 'Soup', category: 'Starters', priceCents: 650, station: 'COLD' } })).body.itemId;
  const created = (await api('POST', `/v1/restaurants/${a.restaurantId}/tables`, { token: a.ownerToken, body: { name: 'Window' } })).body;
  const session = (await api('POST', `/v1/restaurants/${a.restaurantId}/tables/${created.tableId}/sessions`, { token: waiter, body: { mode: 'FAMILY' } })).body;
  table = { tableCode: created.tableCode, pin: session.pin };
  const joined = (await api('POST', '/v1/sessions/join', { body: { tableCode: table.tableCode, pin: table.pin, guestName: 'Ada' }, ip: newIp() })).body;
  guest = { token: joined.token, guestId: joined.guestId, sessionId: session.sessionId };
});

afterAll(async () => {
  await runtime?.stop();
});

describe('paths, queries and headers that once answered 500', () => {
  it('answers a path that is no valid percent-encoding like any unknown id', async () => {
    for (const segment of ['%ED%A0%80', '%', '%zz', '%C0%AE']) {
      expectRefusal(await raw({ path: `/v1/restaurants/${segment}/menu` }), 404, 'NOT_FOUND');
    }
  });

  it('takes query and header names such as __proto__ and constructor as plain names', async () => {
    const menu = await raw({ path: `/v1/restaurants/${a.restaurantId}/menu?constructor=1&__proto__=x&toString=`, headers: [['constructor', 'x'], ['__proto__', '1']] });
    expect(menu.status).toBe(200);
    expect(JSON.parse(menu.text).categories).toEqual([{ name: 'Starters', items: [expect.objectContaining({ itemId })] }]);
  });

  it("answers headers past API Gateway's 10 KB limit with 413 in the error shape", async () => {
    expectRefusal(await raw({ path: `/v1/restaurants/${a.restaurantId}/menu`, headers: [['X-Big', 'x'.repeat(12_000)]] }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it("puts the request id in the header on the gateway's own answers too", async () => {
    expectRefusal(await raw({ path: '/v1/no-such-route' }), 404, 'NOT_FOUND');
    expectRefusal(await raw({ path: '/v1/cart' }), 401, 'UNAUTHENTICATED');
  });
});

describe('a body that is no UTF-8', () => {
  it('is refused with 400 BAD_JSON, and nothing is stored', async () => {
    const before = JSON.parse((await raw({ path: '/v1/cart', headers: [['Authorization', `Bearer ${guest.token}`]] })).text);
    // {"itemId":"…","quantity":1,"notes":"<0xC3 0x28>"}: 0xC3 starts a two-byte sequence that 0x28 cannot continue.
    const body = Buffer.concat([Buffer.from(`{"itemId":"${itemId}","quantity":1,"notes":"`), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const refused = await raw({ method: 'POST', path: '/v1/cart/lines', headers: [['Authorization', `Bearer ${guest.token}`], ['Content-Type', 'application/json']], body });
    expect(expectRefusal(refused, 400, 'BAD_JSON').message).toMatch(/UTF-8/);
    const after = JSON.parse((await raw({ path: '/v1/cart', headers: [['Authorization', `Bearer ${guest.token}`]] })).text);
    expect(after).toEqual(before);

    const join = Buffer.concat([Buffer.from(`{"tableCode":"${table.tableCode}","pin":"${table.pin}","guestName":"`), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    expectRefusal(await raw({ method: 'POST', path: '/v1/sessions/join', headers: [['Content-Type', 'application/json']], body: join }), 400, 'BAD_JSON');
    const seen = JSON.parse((await raw({ path: '/v1/session', headers: [['Authorization', `Bearer ${guest.token}`]] })).text);
    expect(seen.guests.map((g: { guestId: string }) => g.guestId)).toEqual([guest.guestId]);
  });
});

describe('Authorization sent twice', () => {
  it('is refused with 401 whichever tokens they carry, in whatever case, and changes nothing', async () => {
    const cart = `Bearer ${guest.token}`;
    for (const headers of [
      [['Authorization', cart], ['Authorization', cart]],
      [['Authorization', 'Bearer not-a-token'], ['Authorization', cart]],
      [['authorization', cart], ['AUTHORIZATION', `Bearer ${waiter}`]],
    ] as [string, string][][]) {
      const body = Buffer.from(JSON.stringify({ itemId, quantity: 1 }));
      expectRefusal(await raw({ method: 'POST', path: '/v1/cart/lines', headers: [...headers, ['Content-Type', 'application/json']], body }), 401, 'UNAUTHENTICATED');
    }
    expectRefusal(await raw({ path: `/v1/restaurants/${a.restaurantId}/tables`, headers: [['Authorization', `Bearer ${a.ownerToken}`], ['Authorization', `Bearer ${a.ownerToken}`]] }), 401, 'UNAUTHENTICATED');
    const lines = JSON.parse((await raw({ path: '/v1/cart', headers: [['Authorization', cart]] })).text).lines;
    expect(lines).toEqual([]);
  });

  it('is refused at the WebSocket handshake too, like any bad token (403)', async () => {
    const twice = new WebSocket(runtime.webSocketUrl, { headers: { authorization: [`Bearer ${guest.token}`, `Bearer ${guest.token}`] as unknown as string } });
    const status = await new Promise<number>((resolve) => {
      twice.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      twice.once('open', () => resolve(101));
    });
    twice.on('error', () => undefined);
    twice.terminate();
    expect(status).toBe(403);
    // One header with the same token: let in.
    (await TestSocket.open(runtime.webSocketUrl, guest.token, 'header')).close();
  });
});
