import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './support/http';
import { startRuntime } from './support/local-runtime';
import { TestSocket } from './support/socket';
import type { RunningRuntime } from './support/local-runtime';
import { staffFixtures } from './support/staff';
import type { TestRestaurant } from './support/staff';

// Stage values shortened through the runtime's --set, so blocks and expiry happen in seconds.
// Each behaviour gets its own runtime: a session that expires in seconds cannot live through growing blocks.
const LOCKOUT = 2;
const MAX_LOCKOUT = 6;
const SESSION_TTL = 3;

let runtime: RunningRuntime;
const { api, createRestaurantWithCli } = staffFixtures(() => runtime);
let restaurant: TestRestaurant;

function useRuntime(overrides: Record<string, string>) {
  beforeAll(async () => {
    runtime = await startRuntime(overrides);
    restaurant = await createRestaurantWithCli('Timing Bistro');
  });
  afterAll(async () => {
    await runtime?.stop();
  });
}

const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
let ipCounter = 0;
const join = (tableCode: string, pin: string, ip = `192.0.2.${++ipCounter % 250}`) => api('POST', '/v1/sessions/join', { body: { tableCode, pin }, ip });

async function openTableSession() {
  const table = await api('POST', `/v1/restaurants/${restaurant.restaurantId}/tables`, { token: restaurant.ownerToken, body: { name: 'T' } });
  const session = await api('POST', `/v1/restaurants/${restaurant.restaurantId}/tables/${table.body.tableId}/sessions`, {
    token: restaurant.ownerToken,
    body: { mode: 'FAMILY' },
  });
  expect(session.status).toBe(201);
  return { tableId: table.body.tableId as string, tableCode: table.body.tableCode as string, pin: session.body.pin as string };
}

describe('a source\'s PIN blocks grow', () => {
  useRuntime({ PIN_LOCKOUT_SECONDS: String(LOCKOUT), PIN_MAX_LOCKOUT_SECONDS: String(MAX_LOCKOUT) });

  it('doubles each further block, up to the cap, and reports it in Retry-After', async () => {
    const { tableCode, pin } = await openTableSession();
    const wrong = String((Number(pin) + 1) % 10 ** pin.length).padStart(pin.length, '0');
    const attacker = '192.0.2.251';
    const blocks: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5; i++) expectError(await join(tableCode, wrong, attacker), 401, 'INVALID_PIN');
      const blocked = await join(tableCode, pin, attacker);
      expectError(blocked, 429, 'PIN_BLOCKED');
      const retryAfter = Number(blocked.headers.get('retry-after'));
      expect(blocked.body.error.details.retryAfterSeconds).toBe(retryAfter);
      blocks.push(retryAfter);
      if (round < 2) await sleep(retryAfter + 1);
    }
    // 2, 4, then 8 capped at 6 (each may read one second less when the clock ticks in between).
    const expected = [LOCKOUT, LOCKOUT * 2, MAX_LOCKOUT];
    blocks.forEach((seconds, i) => expect(seconds).toBeGreaterThanOrEqual((expected[i] as number) - 1));
    blocks.forEach((seconds, i) => expect(seconds).toBeLessThanOrEqual(expected[i] as number));

    // After the block the right PIN works again from there; it always did from anywhere else.
    expect((await join(tableCode, pin)).status).toBe(201);
    await sleep((blocks[2] as number) + 1);
    expect((await join(tableCode, pin, attacker)).status).toBe(201);
  }, 40_000);
});

describe('sessions expire', () => {
  useRuntime({ SESSION_TTL_SECONDS: String(SESSION_TTL) });

  it('treats an expired session as closed: tokens refused, joins refused, the table free again', async () => {
    const { tableId, tableCode, pin } = await openTableSession();
    const guest = await join(tableCode, pin);
    expect(guest.status).toBe(201);
    expect((await api('GET', '/v1/session', { token: guest.body.token })).status).toBe(200);
    const socket = await TestSocket.open(runtime.webSocketUrl, guest.body.token);
    const dish = await api('POST', `/v1/restaurants/${restaurant.restaurantId}/menu/items`, {
      token: restaurant.ownerToken,
      body: { name: 'Soup', category: 'Starters', priceCents: 500, station: 'COLD' },
    });

    await sleep(SESSION_TTL + 1);

    // The socket outlived its session: its sync is refused, and the next event closes it instead of reaching it.
    expect((await socket.request({ action: 'sync' }, 'error')).data).toMatchObject({ code: 'UNAUTHENTICATED' });
    await api('PATCH', `/v1/restaurants/${restaurant.restaurantId}/menu/items/${dish.body.itemId}`, { token: restaurant.ownerToken, body: { available: false } });
    await socket.closed();
    // (The dish's arrival on the menu, before the session ended, did reach it.)
    expect(socket.messages.filter((m) => m.type === 'menu.item.updated' && m.data.available === false)).toEqual([]);
    expectError(await api('GET', '/v1/session', { token: guest.body.token }), 401, 'SESSION_CLOSED');
    expectError(await join(tableCode, pin), 409, 'NO_OPEN_SESSION');
    const listed = await api('GET', `/v1/restaurants/${restaurant.restaurantId}/sessions`, { token: restaurant.ownerToken });
    expect(listed.body.sessions.map((s: { sessionId: string }) => s.sessionId)).not.toContain(guest.body.sessionId);
    const reopened = await api('POST', `/v1/restaurants/${restaurant.restaurantId}/tables/${tableId}/sessions`, {
      token: restaurant.ownerToken,
      body: { mode: 'INDIVIDUAL' },
    });
    expect(reopened.status).toBe(201);
  }, 20_000);
});
