import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './support/http';
import type { CallOptions } from './support/http';
import { startRuntime } from './support/local-runtime';
import type { RunningRuntime } from './support/local-runtime';
import { staffFixtures } from './support/staff';
import type { TestRestaurant } from './support/staff';

let runtime: RunningRuntime;
/** Every password and token the run handles; PINs are tracked apart (4 digits can occur anywhere by chance). */
const secrets: string[] = [];
const pins: string[] = [];
const { api, createRestaurantWithCli, hire } = staffFixtures(() => runtime, secrets);

let a: TestRestaurant;
let b: TestRestaurant;
let waiter: string;
let manager: string;
let kitchen: string;

/** A fresh client address per call site, so one test's failures never count against another's. */
const newIp = () => `198.51.${randomInt(0, 256)}.${randomInt(1, 255)}`;

beforeAll(async () => {
  runtime = await startRuntime();
  [a, b] = await Promise.all([createRestaurantWithCli('Session Bistro'), createRestaurantWithCli('Other Bistro')]);
  const [w, m, k] = await Promise.all([hire(a, 'WAITER'), hire(a, 'MANAGER'), hire(a, 'KITCHEN')]);
  [waiter, manager, kitchen] = [w.token, m.token, k.token];
});

afterAll(async () => {
  await runtime?.stop();
});

async function newTable(name = 'Table', restaurant = a) {
  const response = await api('POST', `/v1/restaurants/${restaurant.restaurantId}/tables`, { token: restaurant.ownerToken, body: { name } });
  expect(response.status).toBe(201);
  return response.body as { tableId: string; tableCode: string; name: string };
}

async function openSession(tableId: string, mode = 'FAMILY', token = waiter) {
  const response = await api('POST', `/v1/restaurants/${a.restaurantId}/tables/${tableId}/sessions`, { token, body: { mode } });
  expect(response.status).toBe(201);
  pins.push(response.body.pin);
  return response.body as { sessionId: string; pin: string };
}

async function join(tableCode: string, pin: string, extra: Record<string, unknown> = {}, options: CallOptions = {}) {
  const response = await api('POST', '/v1/sessions/join', { body: { tableCode, pin, ...extra }, ip: newIp(), ...options });
  if (response.body?.token) secrets.push(response.body.token, response.body.resumeSecret);
  return response;
}

/** Another PIN of the same length: `pin + by`, wrapping around. */
const wrongPin = (pin: string, by = 1) => String((Number(pin) + by) % 10 ** pin.length).padStart(pin.length, '0');
const sessionPath = (sessionId: string, tail = '') => `/v1/restaurants/${a.restaurantId}/sessions/${sessionId}${tail}`;

describe('opening and reading sessions (staff)', () => {
  it('opens a session with a 6-digit PIN shown once, and refuses a second one on the table', async () => {
    const table = await newTable();
    const opened = await api('POST', `/v1/restaurants/${a.restaurantId}/tables/${table.tableId}/sessions`, { token: waiter, body: { mode: 'INDIVIDUAL' } });
    expect(opened.status).toBe(201);
    pins.push(opened.body.pin);
    expect(opened.body).toEqual({
      sessionId: expect.any(String),
      tableId: table.tableId,
      mode: 'INDIVIDUAL',
      pin: expect.stringMatching(/^\d{6}$/),
      status: 'OPEN',
      openedAt: expect.any(String),
      expiresAt: expect.any(String),
    });
    expect(Date.parse(opened.body.expiresAt) - Date.parse(opened.body.openedAt)).toBe(8 * 3600_000);

    const again = await api('POST', `/v1/restaurants/${a.restaurantId}/tables/${table.tableId}/sessions`, { token: manager, body: { mode: 'FAMILY' } });
    expectError(again, 409, 'SESSION_ALREADY_OPEN');
    expect(again.body.error.details, 'which session holds the table, so the floor can show it').toEqual({ openSessionId: opened.body.sessionId });

    const listed = await api('GET', `/v1/restaurants/${a.restaurantId}/sessions?status=OPEN`, { token: waiter });
    expect(listed.status).toBe(200);
    const mine = listed.body.sessions.find((s: { sessionId: string }) => s.sessionId === opened.body.sessionId);
    expect(mine).toMatchObject({ tableId: table.tableId, tableName: table.name, mode: 'INDIVIDUAL', status: 'OPEN' });
    expect(JSON.stringify(listed.body)).not.toMatch(/"pin/i);

    const detail = await api('GET', sessionPath(opened.body.sessionId), { token: waiter });
    expect(detail.body).toMatchObject({ sessionId: opened.body.sessionId, guests: [], orders: [], bill: { totalCents: 0, byGuest: [] } });
    expect(JSON.stringify(detail.body)).not.toMatch(/"pin/i);
  });

  it('validates the mode and the table, and keeps the kitchen out', async () => {
    const table = await newTable();
    const path = `/v1/restaurants/${a.restaurantId}/tables/${table.tableId}/sessions`;
    expectError(await api('POST', path, { token: waiter, body: { mode: 'PARTY' } }), 400, 'VALIDATION_FAILED');
    expectError(await api('POST', path, { token: kitchen, body: { mode: 'FAMILY' } }), 403, 'FORBIDDEN');
    expectError(await api('POST', `/v1/restaurants/${a.restaurantId}/tables/01NOSUCHTABLE/sessions`, { token: waiter, body: { mode: 'FAMILY' } }), 404, 'NOT_FOUND');
    expectError(await api('GET', `/v1/restaurants/${a.restaurantId}/sessions`, { token: kitchen }), 403, 'FORBIDDEN');
  });
});

describe('joining with the PIN (guests)', () => {
  it('admits a guest with the right PIN and shows the guest their session', async () => {
    const table = await newTable('Window');
    const session = await openSession(table.tableId, 'INDIVIDUAL');
    const joined = await join(table.tableCode, session.pin, { guestName: 'Ada' });
    expect(joined.status).toBe(201);
    expect(joined.body).toEqual({
      token: expect.stringMatching(/^gt_[\w-]{43}$/),
      sessionId: session.sessionId,
      guestId: expect.any(String),
      resumeSecret: expect.stringMatching(/^rs_[\w-]{43}$/),
      mode: 'INDIVIDUAL',
      expiresAt: expect.any(String),
      restaurantId: a.restaurantId,
      tableName: 'Window',
    });

    const mine = await api('GET', '/v1/session', { token: joined.body.token });
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({
      sessionId: session.sessionId,
      status: 'OPEN',
      mode: 'INDIVIDUAL',
      expiresAt: joined.body.expiresAt,
      guestId: joined.body.guestId,
      table: { tableId: table.tableId, name: 'Window' },
      restaurant: { restaurantId: a.restaurantId, name: 'Session Bistro', currency: 'EUR', languages: ['en'] },
      guests: [{ guestId: joined.body.guestId, guestName: 'Ada', joinedAt: expect.any(String) }],
    });
  });

  it('counts wrong PINs down per source: that source is refused even the right PIN, with an accurate Retry-After; others are not', async () => {
    const table = await newTable();
    const session = await openSession(table.tableId);
    const attacker = newIp();
    const attemptsLeft = [];
    for (let i = 0; i < 5; i++) {
      const response = await join(table.tableCode, wrongPin(session.pin), {}, { ip: attacker });
      expectError(response, 401, 'INVALID_PIN');
      attemptsLeft.push(response.body.error.details.attemptsLeft);
    }
    expect(attemptsLeft).toEqual([4, 3, 2, 1, 0]);

    const blocked = await join(table.tableCode, session.pin, {}, { ip: attacker });
    expectError(blocked, 429, 'PIN_BLOCKED');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(890);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(blocked.body.error.details.retryAfterSeconds).toBe(retryAfter);
    expectError(await join(table.tableCode, session.pin, {}, { ip: attacker }), 429, 'PIN_BLOCKED');
    expect((await join(table.tableCode, session.pin)).status).toBe(201);
  });

  it('judges at most 20 of 60 parallel wrong guesses from 60 addresses, then answers every join 202 alike', async () => {
    const table = await newTable();
    const session = await openSession(table.tableId);
    const guesses = Array.from({ length: 60 }, (_, i) => wrongPin(session.pin, i + 1));
    const responses = await Promise.all(guesses.map((pin) => join(table.tableCode, pin)));
    expect(responses.filter((r) => r.status === 401)).toHaveLength(20);
    expect(responses.filter((r) => r.status === 202)).toHaveLength(40);
    const rightPin = await join(table.tableCode, session.pin);
    expect(rightPin.status).toBe(202);
    expect(Object.keys(rightPin.body).sort()).toEqual(Object.keys(responses.find((r) => r.status === 202)?.body).sort());
  });

  it('ends the guard with a new PIN', async () => {
    const table = await newTable();
    const session = await openSession(table.tableId);
    await Promise.all(Array.from({ length: 20 }, (_, i) => join(table.tableCode, wrongPin(session.pin, i + 1))));
    expect((await join(table.tableCode, session.pin)).status).toBe(202);

    const renewed = await api('POST', sessionPath(session.sessionId, '/pin'), { token: waiter });
    expect(renewed.status).toBe(200);
    expect(renewed.body).toEqual({ pin: expect.stringMatching(/^\d{6}$/) });
    pins.push(renewed.body.pin);
    if (renewed.body.pin !== session.pin) expectError(await join(table.tableCode, session.pin), 401, 'INVALID_PIN');
    expect((await join(table.tableCode, renewed.body.pin)).status).toBe(201);
  });

  it('limits failures per source IP across tables, unknown codes included', async () => {
    const ip = newIp();
    for (let i = 0; i < 50; i++) {
      expectError(await join(`unknown-code-${i}`, '0000', {}, { ip }), 404, 'NOT_FOUND');
    }
    const table = await newTable();
    const session = await openSession(table.tableId);
    const limited = await join(table.tableCode, session.pin, {}, { ip });
    expectError(limited, 429, 'RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    // Early in an hour the 50 failures must first decay as the previous window's: up to 3600/50 s more.
    expect(retryAfter).toBeLessThanOrEqual(3600 + 72);
    expect(limited.body.error.details.retryAfterSeconds).toBe(retryAfter);
    // Another address is not affected.
    expect((await join(table.tableCode, session.pin)).status).toBe(201);
  });

  it('resumes a guest who joins again with their guestId and resume secret; a foreign guestId is refused', async () => {
    const table = await newTable();
    const session = await openSession(table.tableId, 'INDIVIDUAL');
    const first = await join(table.tableCode, session.pin, { guestName: 'Grace' });
    const again = await join(table.tableCode, session.pin, { guestId: first.body.guestId, resumeSecret: first.body.resumeSecret });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ sessionId: session.sessionId, guestId: first.body.guestId, resumeSecret: first.body.resumeSecret });
    expect(again.body.token).not.toBe(first.body.token);
    for (const token of [first.body.token, again.body.token]) {
      expect((await api('GET', '/v1/session', { token })).body.guestId).toBe(first.body.guestId);
    }

    const otherTable = await newTable();
    const other = await openSession(otherTable.tableId);
    const stranger = await join(otherTable.tableCode, other.pin, { guestId: first.body.guestId, resumeSecret: first.body.resumeSecret });
    expectError(stranger, 401, 'UNAUTHENTICATED');
  });

  it('ends a guest token on logout', async () => {
    const table = await newTable();
    const session = await openSession(table.tableId);
    const joined = await join(table.tableCode, session.pin);
    expect((await api('POST', '/v1/logout', { token: joined.body.token })).status).toBe(204);
    expectError(await api('GET', '/v1/session', { token: joined.body.token }), 401, 'UNAUTHENTICATED');
  });

  it('validates the join body', async () => {
    const table = await newTable();
    expectError(await join(table.tableCode, '12'), 400, 'VALIDATION_FAILED');
    expectError(await join(table.tableCode, 'abcd'), 400, 'VALIDATION_FAILED');
    expectError(await api('POST', '/v1/sessions/join', { rawBody: '{"tableCode":' }), 400, 'BAD_JSON');
    expectError(await join(table.tableCode, '1234'), 409, 'NO_OPEN_SESSION');
  });
});

describe('closing and moving sessions', () => {
  it('closes a session: its tokens get SESSION_CLOSED and new joins NO_OPEN_SESSION', async () => {
    const table = await newTable();
    const session = await openSession(table.tableId);
    const guest = await join(table.tableCode, session.pin);

    const closed = await api('POST', sessionPath(session.sessionId, '/close'), { token: waiter });
    expect(closed.status).toBe(200);
    expect(closed.body).toEqual({ sessionId: session.sessionId, status: 'CLOSED' });

    expectError(await api('GET', '/v1/session', { token: guest.body.token }), 401, 'SESSION_CLOSED');
    expectError(await join(table.tableCode, session.pin), 409, 'NO_OPEN_SESSION');
    expect((await api('POST', sessionPath(session.sessionId, '/close'), { token: waiter })).status).toBe(200);
    expectError(await api('POST', sessionPath(session.sessionId, '/pin'), { token: waiter }), 409, 'NO_OPEN_SESSION');

    const listed = await api('GET', `/v1/restaurants/${a.restaurantId}/sessions`, { token: waiter });
    expect(listed.body.sessions.map((s: { sessionId: string }) => s.sessionId)).not.toContain(session.sessionId);
    const tables = await api('GET', `/v1/restaurants/${a.restaurantId}/tables`, { token: waiter });
    expect(tables.body.tables.find((t: { tableId: string }) => t.tableId === table.tableId).openSessionId).toBeNull();
    // The table is free for the next party.
    await openSession(table.tableId);
  });

  it('moves a session: the old table has none, guests join at the new table, busy tables refuse', async () => {
    const [from, to, busy] = [await newTable('Inside'), await newTable('Terrace'), await newTable('Busy')];
    const session = await openSession(from.tableId);
    await openSession(busy.tableId);
    const guest = await join(from.tableCode, session.pin);

    const moved = await api('POST', sessionPath(session.sessionId, '/move'), { token: waiter, body: { tableId: to.tableId } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ sessionId: session.sessionId, tableId: to.tableId, tableName: 'Terrace', status: 'OPEN' });

    expectError(await join(from.tableCode, session.pin), 409, 'NO_OPEN_SESSION');
    const atNewTable = await join(to.tableCode, session.pin);
    expect(atNewTable.status).toBe(201);
    expect(atNewTable.body).toMatchObject({ sessionId: session.sessionId, tableName: 'Terrace' });
    expect((await api('GET', '/v1/session', { token: guest.body.token })).body.table).toEqual({ tableId: to.tableId, name: 'Terrace' });

    expectError(await api('POST', sessionPath(session.sessionId, '/move'), { token: waiter, body: { tableId: busy.tableId } }), 409, 'TABLE_BUSY');
    expectError(await api('POST', sessionPath(session.sessionId, '/move'), { token: waiter, body: { tableId: '01NOSUCHTABLE' } }), 404, 'NOT_FOUND');
  });
});

describe('access control', () => {
  it('refuses guest tokens on staff endpoints with 403, and on another restaurant with 404', async () => {
    const table = await newTable();
    const session = await openSession(table.tableId);
    const token = (await join(table.tableCode, session.pin)).body.token;
    const staffOnly: [string, string, unknown?][] = [
      ['GET', `/v1/restaurants/${a.restaurantId}`],
      ['GET', `/v1/restaurants/${a.restaurantId}/sessions`],
      ['GET', sessionPath(session.sessionId)],
      ['POST', sessionPath(session.sessionId, '/close')],
      ['POST', sessionPath(session.sessionId, '/pin')],
      ['POST', `/v1/restaurants/${a.restaurantId}/tables`, { name: 'X' }],
      ['GET', `/v1/restaurants/${a.restaurantId}/audit`],
    ];
    for (const [method, path, body] of staffOnly) expectError(await api(method, path, { token, body }), 403, 'FORBIDDEN');
    expectError(await api('GET', `/v1/restaurants/${b.restaurantId}/sessions`, { token }), 404, 'NOT_FOUND');
    // Still open: the guest did not manage to close it.
    expect((await api('GET', '/v1/session', { token })).body.status).toBe('OPEN');
  });

  it("answers another restaurant's sessions with 404, whichever path names them", async () => {
    const table = await newTable();
    const session = await openSession(table.tableId);
    const foreign = [
      await api('GET', sessionPath(session.sessionId), { token: b.ownerToken }),
      await api('POST', sessionPath(session.sessionId, '/close'), { token: b.ownerToken }),
      await api('GET', `/v1/restaurants/${b.restaurantId}/sessions/${session.sessionId}`, { token: b.ownerToken }),
      await api('POST', `/v1/restaurants/${b.restaurantId}/sessions/${session.sessionId}/close`, { token: b.ownerToken }),
      await api('POST', `/v1/restaurants/${b.restaurantId}/sessions/${session.sessionId}/pin`, { token: b.ownerToken }),
      await api('POST', `/v1/restaurants/${b.restaurantId}/sessions/${session.sessionId}/move`, { token: b.ownerToken, body: { tableId: table.tableId } }),
      await api('POST', `/v1/restaurants/${a.restaurantId}/tables/${table.tableId}/sessions`, { token: b.ownerToken, body: { mode: 'FAMILY' } }),
    ];
    for (const response of foreign) expectError(response, 404, 'NOT_FOUND');
    expect((await api('GET', sessionPath(session.sessionId), { token: waiter })).body.status).toBe('OPEN');
  });

  it('answers 401 without a token', async () => {
    for (const [method, path] of [
      ['GET', '/v1/session'],
      ['GET', `/v1/restaurants/${a.restaurantId}/sessions`],
      ['GET', `/v1/restaurants/${a.restaurantId}/audit`],
    ]) {
      expectError(await api(method as string, path as string), 401, 'UNAUTHENTICATED');
    }
  });
});

describe('audit log', () => {
  it('records each audited action with actor and time, newest first, and never a secret', async () => {
    const table = await newTable('Audited');
    const session = await openSession(table.tableId);
    await join(table.tableCode, wrongPin(session.pin));
    const guest = await join(table.tableCode, session.pin);
    const renewed = await api('POST', sessionPath(session.sessionId, '/pin'), { token: waiter });
    pins.push(renewed.body.pin);
    await api('POST', sessionPath(session.sessionId, '/move'), { token: waiter, body: { tableId: (await newTable('Moved')).tableId } });
    await api('POST', '/v1/logout', { token: guest.body.token });
    await api('POST', sessionPath(session.sessionId, '/close'), { token: waiter });
    await api('POST', `/v1/restaurants/${a.restaurantId}/menu/items`, {
      token: manager,
      body: { name: 'Audit soup', category: 'Starters', priceCents: 500, station: 'HOT' },
    });

    const entries = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=7${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api('GET', `/v1/restaurants/${a.restaurantId}/audit${query}`, { token: manager });
      expect(page.status).toBe(200);
      expect(page.body.entries.length).toBeLessThanOrEqual(7);
      entries.push(...page.body.entries);
      cursor = page.body.nextCursor;
    } while (cursor);

    const times = entries.map((e) => e.at);
    expect(times).toEqual([...times].sort().reverse());
    const about = entries.filter((e) => e.subject.sessionId === session.sessionId);
    const actions = about.map((e) => `${e.action}:${e.outcome}`);
    expect(actions).toEqual(
      expect.arrayContaining(['session.open:success', 'pin.attempt:failure', 'pin.attempt:success', 'session.pin_renew:success', 'session.move:success', 'session.close:success', 'logout:success']),
    );
    const opened = about.find((e) => e.action === 'session.open');
    expect(opened).toMatchObject({ actor: { kind: 'staff', role: 'WAITER' }, subject: { tableId: table.tableId }, status: 201 });
    const failed = about.find((e) => e.action === 'pin.attempt' && e.outcome === 'failure');
    expect(failed).toMatchObject({ actor: { kind: 'anonymous' }, code: 'INVALID_PIN', sourceIp: expect.stringMatching(/^198\.51\./) });
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['staff.login', 'staff.create', 'table.create', 'menu.item_create']));

    const strings: string[] = [];
    const collect = (value: unknown): void => {
      if (typeof value === 'string') strings.push(value);
      else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          strings.push(key);
          collect(inner);
        }
      }
    };
    collect(entries);
    for (const value of strings) {
      expect(pins).not.toContain(value);
      expect(value).not.toMatch(/^(st|gt)_/);
      for (const secret of secrets) expect(value).not.toContain(secret);
    }
  });

  it('records requests refused before the handler ran: bad JSON and an oversized body', async () => {
    const tables = `/v1/restaurants/${a.restaurantId}/tables`;
    expectError(await api('POST', tables, { token: manager, rawBody: '{"name":' }), 400, 'BAD_JSON');
    expectError(await api('POST', tables, { token: manager, body: { name: 'x'.repeat(70 * 1024) } }), 413, 'PAYLOAD_TOO_LARGE');
    const { body } = await api('GET', `/v1/restaurants/${a.restaurantId}/audit?limit=10`, { token: manager });
    const refused = body.entries.filter((e: { action: string; outcome: string }) => e.action === 'table.create' && e.outcome === 'failure');
    expect(refused.map((e: { status: number; code: string }) => `${e.status} ${e.code}`)).toEqual(expect.arrayContaining(['400 BAD_JSON', '413 PAYLOAD_TOO_LARGE']));
    for (const entry of refused) expect(entry).toMatchObject({ actor: { kind: 'staff', role: 'MANAGER' }, requestId: expect.any(String) });
  });

  it('is for owners and managers of the restaurant only, and refuses foreign cursors', async () => {
    expectError(await api('GET', `/v1/restaurants/${a.restaurantId}/audit`, { token: waiter }), 403, 'FORBIDDEN');
    expectError(await api('GET', `/v1/restaurants/${a.restaurantId}/audit`, { token: b.ownerToken }), 404, 'NOT_FOUND');
    const otherPage = await api('GET', `/v1/restaurants/${b.restaurantId}/audit?limit=1`, { token: b.ownerToken });
    expect(otherPage.body.nextCursor).toEqual(expect.any(String));
    expectError(
      await api('GET', `/v1/restaurants/${a.restaurantId}/audit?cursor=${otherPage.body.nextCursor}`, { token: manager }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await api('GET', `/v1/restaurants/${a.restaurantId}/audit?limit=0`, { token: manager }), 400, 'VALIDATION_FAILED');
  });
});

describe('logs', () => {
  it('contain no PIN, token or password', () => {
    const logs = runtime.logs();
    expect(logs).toContain('"path":"/v1/sessions/join"');
    expect(logs).not.toMatch(/"pin"\s*:/i);
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
