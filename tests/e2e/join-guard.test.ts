import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './support/http';
import { startRuntime } from './support/local-runtime';
import type { RunningRuntime } from './support/local-runtime';
import { TestSocket } from './support/socket';
import { staffFixtures } from './support/staff';
import type { TestRestaurant } from './support/staff';

/** Joins an attacker cannot lock (API.md, Guests, r2): per-source blocks, the session guard, join requests. */

let runtime: RunningRuntime;
const { api, createRestaurantWithCli, hire } = staffFixtures(() => runtime);
let a: TestRestaurant;
let b: TestRestaurant;
let waiter: string;
let kitchen: string;

const newIp = () => `198.19.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const wrongPin = (pin: string, by: number) => String((Number(pin) + by) % 10 ** pin.length).padStart(pin.length, '0');

beforeAll(async () => {
  runtime = await startRuntime();
  [a, b] = await Promise.all([createRestaurantWithCli('Guarded Bistro'), createRestaurantWithCli('Other Bistro')]);
  [waiter, kitchen] = await Promise.all([hire(a, 'WAITER'), hire(a, 'KITCHEN')]).then((staff) => staff.map((s) => s.token));
});

afterAll(async () => {
  await runtime?.stop();
});

async function openTable(name = 'Patio') {
  const table = (await api('POST', `/v1/restaurants/${a.restaurantId}/tables`, { token: a.ownerToken, body: { name } })).body;
  const session = (await api('POST', `/v1/restaurants/${a.restaurantId}/tables/${table.tableId}/sessions`, { token: waiter, body: { mode: 'FAMILY' } })).body;
  const join = (pin: string, ip = newIp(), guestName?: string) =>
    api('POST', '/v1/sessions/join', { body: { tableCode: table.tableCode, pin, ...(guestName ? { guestName } : {}) }, ip });
  return { table, session, join };
}

const poll = (joinRequestId: string, pollToken: string) => api('GET', `/v1/join-requests/${joinRequestId}`, { headers: { authorization: `Bearer ${pollToken}` } });

/** 40 wrong PINs from 10 addresses, 4 each: no source is blocked, the session is guarded after 20. */
async function attack(join: (pin: string, ip?: string) => ReturnType<typeof api>, pin: string) {
  const sources = Array.from({ length: 10 }, newIp);
  const answers = [];
  for (let round = 0; round < 4; round++) answers.push(...(await Promise.all(sources.map((ip, i) => join(wrongPin(pin, round * 10 + i + 1), ip)))));
  return answers;
}

describe('a session under attack', () => {
  it('still lets a guest with the PIN in: 202 like the attacker, then APPROVED when a table-mate approves', async () => {
    const { table, session, join } = await openTable();
    const mate = await join(session.pin, newIp(), 'Mate');
    expect(mate.status).toBe(201);
    const [mateSocket, floorSocket] = await Promise.all([TestSocket.open(runtime.webSocketUrl, mate.body.token), TestSocket.open(runtime.webSocketUrl, waiter)]);

    const answers = await attack(join, session.pin);
    expect(answers.filter((r) => r.status === 401)).toHaveLength(20);
    expect(answers.filter((r) => r.status === 202)).toHaveLength(20);
    expect((await floorSocket.waitFor((m) => m.type === 'session.guarded')).data).toEqual({ sessionId: session.sessionId, tableName: table.name });

    const guest = await join(session.pin, newIp(), 'Grace');
    expect(guest.status).toBe(202);
    const attacker = answers.find((r) => r.status === 202);
    expect(Object.keys(guest.body).sort()).toEqual(Object.keys(attacker?.body).sort());
    expect({ ...guest.body, joinRequestId: 'x', pollToken: 'x' }).toEqual({ ...attacker?.body, joinRequestId: 'x', pollToken: 'x' });
    expect((await poll(guest.body.joinRequestId, guest.body.pollToken)).body).toEqual({ status: 'PENDING' });
    expect((await poll(attacker?.body.joinRequestId, attacker?.body.pollToken)).body).toEqual({ status: 'PENDING' });

    // Only the right-PIN request reaches the table and the floor.
    const heard = await mateSocket.waitFor((m) => m.type === 'join.requested');
    expect(heard.data).toEqual({ joinRequestId: guest.body.joinRequestId, guestName: 'Grace', at: expect.any(String) });
    const floorHeard = await floorSocket.waitFor((m) => m.type === 'join.requested');
    expect(floorHeard.data).toEqual({ joinRequestId: guest.body.joinRequestId, sessionId: session.sessionId, tableName: table.name, guestName: 'Grace' });
    expect(mateSocket.messages.filter((m) => m.type === 'join.requested')).toHaveLength(1);
    expectError(await api('POST', `/v1/join-requests/${attacker?.body.joinRequestId}/approve`, { token: mate.body.token }), 404, 'NOT_FOUND');

    expect((await api('POST', `/v1/join-requests/${guest.body.joinRequestId}/approve`, { token: mate.body.token })).status).toBe(204);
    const approved = await poll(guest.body.joinRequestId, guest.body.pollToken);
    expect(approved.body).toMatchObject({ status: 'APPROVED', join: { sessionId: session.sessionId, token: expect.any(String) } });
    const me = await api('GET', '/v1/session', { token: approved.body.join.token });
    expect(me.body.guests.map((g: { guestName: string }) => g.guestName).sort()).toEqual(['Grace', 'Mate']);
    const again = await poll(guest.body.joinRequestId, guest.body.pollToken);
    expect(again.body.join.guestId).toBe(approved.body.join.guestId);
    expect((await poll(attacker?.body.joinRequestId, attacker?.body.pollToken)).body).toEqual({ status: 'PENDING' });
    mateSocket.close();
    floorSocket.close();
  });

  it('never gives a denied request a token, and lets the floor decide too', async () => {
    const { session, join } = await openTable();
    await attack(join, session.pin);
    const [denied, allowed] = [await join(session.pin, newIp(), 'Eve'), await join(session.pin, newIp(), 'Ann')];
    expect((await api('POST', `/v1/join-requests/${denied.body.joinRequestId}/deny`, { token: waiter })).status).toBe(204);
    expect((await poll(denied.body.joinRequestId, denied.body.pollToken)).body).toEqual({ status: 'DENIED' });
    expectError(await api('POST', `/v1/join-requests/${denied.body.joinRequestId}/approve`, { token: waiter }), 409, 'JOIN_REQUEST_CLOSED');
    expect((await poll(denied.body.joinRequestId, denied.body.pollToken)).body).toEqual({ status: 'DENIED' });
    expect((await api('POST', `/v1/join-requests/${allowed.body.joinRequestId}/approve`, { token: a.ownerToken })).status).toBe(204);
    expect((await poll(allowed.body.joinRequestId, allowed.body.pollToken)).body.status).toBe('APPROVED');
  });

  it('keeps join requests to their requester, their session and their restaurant', async () => {
    const { session, join } = await openTable();
    const other = await openTable('Bar');
    const stranger = await other.join(other.session.pin);
    await attack(join, session.pin);
    const request = (await join(session.pin, newIp(), 'Zoe')).body;
    const path = `/v1/join-requests/${request.joinRequestId}`;
    expectError(await api('GET', path), 401, 'UNAUTHENTICATED');
    expectError(await api('GET', path, { headers: { authorization: `Bearer pt_${'x'.repeat(43)}` } }), 404, 'NOT_FOUND');
    expectError(await api('GET', path, { token: stranger.body.token }), 401, 'UNAUTHENTICATED');
    const outsider = await hire(b, 'MANAGER');
    for (const action of ['approve', 'deny']) {
      expectError(await api('POST', `${path}/${action}`), 401, 'UNAUTHENTICATED');
      expectError(await api('POST', `${path}/${action}`, { token: kitchen }), 403, 'FORBIDDEN');
      expectError(await api('POST', `${path}/${action}`, { token: stranger.body.token }), 404, 'NOT_FOUND');
      expectError(await api('POST', `${path}/${action}`, { token: outsider.token }), 404, 'NOT_FOUND');
    }
    expect((await poll(request.joinRequestId, request.pollToken)).body).toEqual({ status: 'PENDING' });
  });
});

describe('friends behind one address', () => {
  it('all get in at once with the right PIN, whatever junk came from that address before', async () => {
    const { session, join } = await openTable();
    const venue = newIp();
    for (let i = 0; i < 10; i++) expect((await api('POST', '/v1/sessions/join', { body: { tableCode: `junk-${i}`, pin: '000000' }, ip: venue })).status).toBe(404);
    for (let i = 1; i <= 4; i++) expect((await join(wrongPin(session.pin, i), venue)).status).toBe(401);
    const friends = await Promise.all(Array.from({ length: 20 }, (_, i) => join(session.pin, venue, `Friend ${i}`)));
    expect(friends.map((r) => r.status)).toEqual(Array(20).fill(201));
  });
});
