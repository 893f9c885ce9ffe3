import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strongPassword, uniqueName } from '../support/restaurant';
import { runAdmin } from '../support/admin-cli';
import { expectError } from './support/http';
import { startRuntime } from './support/local-runtime';
import type { RunningRuntime } from './support/local-runtime';
import { staffFixtures } from './support/staff';
import type { TestRestaurant } from './support/staff';

let runtime: RunningRuntime;
/** Every password and token the run handles; none may appear in the captured logs. */
const secrets: string[] = [];
const { api, login, createRestaurantWithCli, hire } = staffFixtures(() => runtime, secrets);

let a: TestRestaurant;
let b: TestRestaurant;

beforeAll(async () => {
  runtime = await startRuntime();
  [a, b] = await Promise.all([createRestaurantWithCli(), createRestaurantWithCli()]);
});

afterAll(async () => {
  await runtime?.stop();
});

describe('staff login and logout', () => {
  it('logs in with the credentials the CLI created', async () => {
    const me = await api('GET', `/v1/restaurants/${a.restaurantId}`, { token: a.ownerToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ restaurantId: a.restaurantId, name: 'E2E Bistro', currency: 'EUR', languages: ['en'], maxGuestsPerSession: 20, coursing: false, defaultPrepMinutes: null, dueSoonMinutes: 2 });
  });

  it('answers a wrong password and an unknown user with the same 401', async () => {
    const waiter = await hire(a, 'WAITER');
    const wrongPassword = await login(a.restaurantId, waiter.username, 'wrong-password-1');
    const unknownUser = await login(a.restaurantId, uniqueName('ghost'), 'wrong-password-1');
    const unknownRestaurant = await login('01NOSUCHRESTAURANT0000000', waiter.username, waiter.password);
    for (const response of [wrongPassword, unknownUser, unknownRestaurant]) expectError(response, 401, 'INVALID_CREDENTIALS');
    expect(wrongPassword.body.error.message).toBe(unknownUser.body.error.message);
  });

  it('locks a username out after repeated failures, with an accurate Retry-After', async () => {
    const waiter = await hire(a, 'WAITER');
    for (let i = 0; i < 5; i++) expectError(await login(a.restaurantId, waiter.username, 'wrong-password-1'), 401, 'INVALID_CREDENTIALS');

    const blocked = await login(a.restaurantId, waiter.username, waiter.password);
    expectError(blocked, 429, 'LOGIN_BLOCKED');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(890);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(blocked.body.error.details.retryAfterSeconds).toBe(retryAfter);

    // Another user of the same restaurant is not affected.
    expect((await login(a.restaurantId, 'owner', 'wrong-password-1')).status).toBe(401);
  });

  it("keeps the owner in on a known device while strangers fail 50 times from 10 addresses; unknown devices are throttled; unlock clears it", async () => {
    const owner = { username: uniqueName('owner'), password: strongPassword() };
    secrets.push(owner.password);
    const created = await runAdmin(['create-restaurant', '--name', 'Device Bistro', '--currency', 'EUR', '--owner', owner.username, '--password', owner.password]);
    const { restaurantId } = JSON.parse(created.stdout);
    const first = await login(restaurantId, owner.username, owner.password);
    expect(first.status).toBe(200);
    expect(first.body.deviceToken).toMatch(/^dt_[\w-]{43}$/);
    const ownerDevice = first.body.deviceToken as string;

    const attackers = Array.from({ length: 10 }, (_, i) => `198.18.77.${i + 1}`);
    const statuses = [];
    for (const ip of attackers) for (let i = 0; i < 5; i++) statuses.push((await login(restaurantId, owner.username, `guess-${ip}-${i}`, { ip })).status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(20);
    expect(statuses.filter((status) => status === 429)).toHaveLength(30);

    const known = await login(restaurantId, owner.username, owner.password, { deviceToken: ownerDevice, ip: attackers[0] });
    expect(known.status).toBe(200);
    expect(known.body.deviceToken).toBe(ownerDevice);
    expectError(await login(restaurantId, owner.username, owner.password, { ip: '198.18.78.1' }), 429, 'LOGIN_BLOCKED');

    // Another person's device token is no help.
    const manager = (await api('POST', `/v1/restaurants/${restaurantId}/staff`, { token: known.body.token, body: { username: uniqueName('manager'), password: owner.password, role: 'MANAGER' } })).body;
    const managerLogin = await login(restaurantId, manager.username, owner.password);
    expectError(await login(restaurantId, owner.username, owner.password, { deviceToken: managerLogin.body.deviceToken, ip: '198.18.78.2' }), 429, 'LOGIN_BLOCKED');

    const unlock = `/v1/restaurants/${restaurantId}/staff/${known.body.staff.staffId}/unlock`;
    expectError(await api('POST', unlock, { token: managerLogin.body.token }), 403, 'FORBIDDEN');
    expectError(await api('POST', unlock), 401, 'UNAUTHENTICATED');
    expectError(await api('POST', unlock.replace(restaurantId, a.restaurantId), { token: known.body.token }), 404, 'NOT_FOUND');
    expectError(await api('POST', `/v1/restaurants/${a.restaurantId}/staff/${known.body.staff.staffId}/unlock`, { token: a.ownerToken }), 404, 'NOT_FOUND');
    expect((await api('POST', unlock, { token: known.body.token })).status).toBe(204);
    expect((await login(restaurantId, owner.username, owner.password, { ip: '198.18.78.3' })).status).toBe(200);
  });

  it('lets a manager unlock staff, never an owner, and refuses other roles', async () => {
    const waiter = await hire(a, 'WAITER');
    for (let i = 0; i < 5; i++) await login(a.restaurantId, waiter.username, 'wrong-password-1');
    expectError(await login(a.restaurantId, waiter.username, waiter.password), 429, 'LOGIN_BLOCKED');
    const [manager, kitchen] = [await hire(a, 'MANAGER'), await hire(a, 'KITCHEN')];
    const unlock = `/v1/restaurants/${a.restaurantId}/staff/${waiter.staffId}/unlock`;
    expectError(await api('POST', unlock, { token: kitchen.token }), 403, 'FORBIDDEN');
    expectError(await api('POST', unlock, { token: waiter.token }), 403, 'FORBIDDEN');
    expect((await api('POST', unlock, { token: manager.token })).status).toBe(204);
    expect((await login(a.restaurantId, waiter.username, waiter.password)).status).toBe(200);
  });

  it("takes the owner's password from stdin or OWNER_PASSWORD, and refuses to go on without one", async () => {
    const missing = await runAdmin(['create-restaurant', '--name', 'No Password', '--currency', 'EUR', '--owner', uniqueName('owner')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--password/);
    const password = strongPassword();
    secrets.push(password);
    const owner = uniqueName('owner');
    const created = await runAdmin(['create-restaurant', '--name', 'Env Bistro', '--currency', 'EUR', '--owner', owner], { env: { OWNER_PASSWORD: password } });
    expect(created.code, created.stderr).toBe(0);
    expect((await login(JSON.parse(created.stdout).restaurantId, owner, password)).status).toBe(200);
  });

  it('revokes the token on logout, from the very next request', async () => {
    const waiter = await hire(a, 'WAITER');
    expect((await api('GET', `/v1/restaurants/${a.restaurantId}`, { token: waiter.token })).status).toBe(200);
    const loggedOut = await api('POST', '/v1/logout', { token: waiter.token });
    expect(loggedOut.status).toBe(204);
    expectError(await api('GET', `/v1/restaurants/${a.restaurantId}`, { token: waiter.token }), 401, 'UNAUTHENTICATED');
    expectError(await api('POST', '/v1/logout', { token: waiter.token }), 401, 'UNAUTHENTICATED');
  });
});

describe('staff management: the role matrix', () => {
  it('lets an owner create every role, and a manager every role but OWNER', async () => {
    const manager = await hire(a, 'MANAGER');
    for (const role of ['OWNER', 'MANAGER', 'WAITER', 'KITCHEN']) {
      const response = await api('POST', `/v1/restaurants/${a.restaurantId}/staff`, {
        token: a.ownerToken,
        body: { username: uniqueName(role.toLowerCase()), password: strongPassword(), role },
      });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ staffId: expect.any(String), username: expect.any(String), role, station: null });
    }
    const kitchen = await api('POST', `/v1/restaurants/${a.restaurantId}/staff`, {
      token: manager.token,
      body: { username: uniqueName('grill'), password: strongPassword(), role: 'KITCHEN', station: 'grill' },
    });
    expect(kitchen.status).toBe(201);
    expect(kitchen.body.station).toBe('GRILL');

    const owner = await api('POST', `/v1/restaurants/${a.restaurantId}/staff`, {
      token: manager.token,
      body: { username: uniqueName('owner'), password: strongPassword(), role: 'OWNER' },
    });
    expectError(owner, 403, 'FORBIDDEN');
  });

  it('does not let waiters or kitchen staff manage staff', async () => {
    const waiter = await hire(a, 'WAITER');
    const kitchen = await hire(a, 'KITCHEN', 'GRILL');
    for (const token of [waiter.token, kitchen.token]) {
      const body = { username: uniqueName('x'), password: strongPassword(), role: 'WAITER' };
      expectError(await api('POST', `/v1/restaurants/${a.restaurantId}/staff`, { token, body }), 403, 'FORBIDDEN');
      expectError(await api('GET', `/v1/restaurants/${a.restaurantId}/staff`, { token }), 403, 'FORBIDDEN');
      expectError(await api('DELETE', `/v1/restaurants/${a.restaurantId}/staff/${waiter.staffId}`, { token }), 403, 'FORBIDDEN');
      // Every role may read its own restaurant.
      expect((await api('GET', `/v1/restaurants/${a.restaurantId}`, { token })).status).toBe(200);
    }
  });

  it('lists staff without any password or hash', async () => {
    const manager = await hire(a, 'MANAGER');
    const listed = await api('GET', `/v1/restaurants/${a.restaurantId}/staff`, { token: manager.token });
    expect(listed.status).toBe(200);
    expect(listed.body.staff.length).toBeGreaterThan(1);
    for (const member of listed.body.staff) expect(Object.keys(member).sort()).toEqual(['role', 'staffId', 'station', 'username']);
    expect(JSON.stringify(listed.body)).not.toMatch(/password|hash|scrypt/i);
  });

  it('stops a deleted person’s tokens at once; a manager cannot delete an owner', async () => {
    const manager = await hire(a, 'MANAGER');
    const waiter = await hire(a, 'WAITER');
    const otherDevice = await login(a.restaurantId, waiter.username, waiter.password);

    expectError(await api('DELETE', `/v1/restaurants/${a.restaurantId}/staff/${a.ownerStaffId}`, { token: manager.token }), 403, 'FORBIDDEN');
    const deleted = await api('DELETE', `/v1/restaurants/${a.restaurantId}/staff/${waiter.staffId}`, { token: manager.token });
    expect(deleted.status).toBe(204);

    for (const token of [waiter.token, otherDevice.body.token]) {
      expectError(await api('GET', `/v1/restaurants/${a.restaurantId}`, { token }), 401, 'UNAUTHENTICATED');
    }
    expectError(await login(a.restaurantId, waiter.username, waiter.password), 401, 'INVALID_CREDENTIALS');
    expectError(await api('DELETE', `/v1/restaurants/${a.restaurantId}/staff/${waiter.staffId}`, { token: manager.token }), 404, 'NOT_FOUND');
  });

  it('refuses a taken username with 409', async () => {
    const waiter = await hire(a, 'WAITER');
    const again = await api('POST', `/v1/restaurants/${a.restaurantId}/staff`, {
      token: a.ownerToken,
      body: { username: waiter.username, password: strongPassword(), role: 'WAITER' },
    });
    expectError(again, 409, 'USERNAME_TAKEN');
  });
});

describe('tenancy and authentication', () => {
  it("answers another restaurant's ids with 404", async () => {
    const waiterOfA = await hire(a, 'WAITER');
    const body = { username: uniqueName('intruder'), password: strongPassword(), role: 'WAITER' };
    const attempts = [
      await api('GET', `/v1/restaurants/${a.restaurantId}`, { token: b.ownerToken }),
      await api('PATCH', `/v1/restaurants/${a.restaurantId}`, { token: b.ownerToken, body: { name: 'Taken over' } }),
      await api('GET', `/v1/restaurants/${a.restaurantId}/staff`, { token: b.ownerToken }),
      await api('POST', `/v1/restaurants/${a.restaurantId}/staff`, { token: b.ownerToken, body }),
      await api('DELETE', `/v1/restaurants/${a.restaurantId}/staff/${waiterOfA.staffId}`, { token: b.ownerToken }),
      // A's staff id under B's own path names nothing in B.
      await api('DELETE', `/v1/restaurants/${b.restaurantId}/staff/${waiterOfA.staffId}`, { token: b.ownerToken }),
    ];
    for (const response of attempts) expectError(response, 404, 'NOT_FOUND');
    expect((await api('GET', `/v1/restaurants/${a.restaurantId}`, { token: waiterOfA.token })).body.name).not.toBe('Taken over');
  });

  it('answers 401 without a token or with a forged one, on every protected route', async () => {
    const paths: [string, string][] = [
      ['POST', '/v1/logout'],
      ['GET', `/v1/restaurants/${a.restaurantId}`],
      ['PATCH', `/v1/restaurants/${a.restaurantId}`],
      ['GET', `/v1/restaurants/${a.restaurantId}/staff`],
      ['POST', `/v1/restaurants/${a.restaurantId}/staff`],
      ['DELETE', `/v1/restaurants/${a.restaurantId}/staff/${a.ownerStaffId}`],
    ];
    for (const [method, path] of paths) {
      expectError(await api(method, path), 401, 'UNAUTHENTICATED');
      expectError(await api(method, path, { token: 'st_forged-token-value' }), 401, 'UNAUTHENTICATED');
    }
  });
});

describe('the error contract over HTTP', () => {
  it('answers bad JSON with 400 BAD_JSON', async () => {
    expectError(await api('POST', '/v1/staff/login', { rawBody: '{"restaurantId": ' }), 400, 'BAD_JSON');
    expectError(await api('POST', `/v1/restaurants/${a.restaurantId}/staff`, { token: a.ownerToken, rawBody: 'nope' }), 400, 'BAD_JSON');
  });

  it('answers invalid fields with 400 VALIDATION_FAILED listing each one', async () => {
    const response = await api('POST', `/v1/restaurants/${a.restaurantId}/staff`, {
      token: a.ownerToken,
      body: { username: 'x', password: 'short', role: 'CHEF', station: 'GRILL' },
    });
    expectError(response, 400, 'VALIDATION_FAILED');
    const paths = response.body.error.details.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['body.username', 'body.password', 'body.role']));
  });

  it('answers unknown routes and methods with 404 NOT_FOUND', async () => {
    expectError(await api('GET', '/v1/nothing-here'), 404, 'NOT_FOUND');
    expectError(await api('PUT', '/v1/staff/login', { body: {} }), 404, 'NOT_FOUND');
  });

  it('answers a body over 64 KB with 413 PAYLOAD_TOO_LARGE', async () => {
    const rawBody = JSON.stringify({ restaurantId: a.restaurantId, username: 'owner', password: 'x'.repeat(70 * 1024) });
    expectError(await api('POST', '/v1/staff/login', { rawBody }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('allows browsers from the guest ordering origin only', async () => {
    const preflight = await fetch(`${runtime.url}/v1/sessions/join`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
    const response = await api('GET', `/v1/restaurants/${a.restaurantId}`, { token: a.ownerToken });
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect((await api('GET', '/v1/nothing-here')).headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('serves its OpenAPI 3.1 document publicly', async () => {
    const response = await api('GET', '/v1/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    expect(response.body.paths['/v1/staff/login'].post.operationId).toBe('staffLogin');
  });

  it('puts the request id on successful responses too', async () => {
    const response = await api('GET', `/v1/restaurants/${a.restaurantId}`, { token: a.ownerToken });
    expect(response.headers.get('x-request-id')).toMatch(/\S+/);
  });
});

describe('logs', () => {
  it('contain one line per request and no password or token', () => {
    const logs = runtime.logs();
    expect(logs).toMatch(/"message":"request".*"path":"\/v1\/staff\/login"/);
    expect(logs).toContain('login succeeded');
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
