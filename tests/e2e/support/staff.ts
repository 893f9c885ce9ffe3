import { randomInt } from 'node:crypto';
import { expect } from 'vitest';
import { strongPassword, uniqueName } from '../../support/restaurant';
import { call } from './http';
import type { CallOptions } from './http';
import { runAdmin } from '../../support/admin-cli';
import type { RunningRuntime } from './local-runtime';

export interface TestRestaurant {
  restaurantId: string;
  ownerToken: string;
  ownerStaffId: string;
}

/**
 * Helpers that build each test's own restaurant and staff over the real API. Every password and
 * token they handle is pushed to `secrets`, so a test can check none of them reached the logs.
 */
export function staffFixtures(runtime: () => RunningRuntime, secrets: string[] = []) {
  const api = (method: string, path: string, options?: CallOptions) => call(runtime().url, method, path, options);

  /** This file's staff log in from one address of their own, so failures elsewhere never count against them. */
  const staffIp = `203.0.113.${randomInt(1, 255)}`;

  async function login(restaurantId: string, username: string, password: string, options: { deviceToken?: string; ip?: string } = {}) {
    const body = { restaurantId, username, password, ...(options.deviceToken ? { deviceToken: options.deviceToken } : {}) };
    const response = await api('POST', '/v1/staff/login', { body, ip: options.ip ?? staffIp });
    if (response.body?.token) secrets.push(response.body.token, response.body.deviceToken);
    return response;
  }

  /** A restaurant made with the admin CLI (`npm run admin -- create-restaurant …`), owner logged in. */
  async function createRestaurantWithCli(name = 'E2E Bistro'): Promise<TestRestaurant> {
    const owner = uniqueName('owner');
    const password = strongPassword();
    secrets.push(password);
    const result = await runAdmin(['create-restaurant', '--name', name, '--currency', 'eur', '--owner', owner, '--password-stdin'], { stdin: `${password}\n` });
    expect(result.code, result.stderr).toBe(0);
    const created = JSON.parse(result.stdout);
    expect(created).toEqual({ restaurantId: expect.any(String), owner: { staffId: expect.any(String), username: owner } });
    const session = await login(created.restaurantId, owner, password);
    expect(session.status).toBe(200);
    return { restaurantId: created.restaurantId, ownerToken: session.body.token, ownerStaffId: created.owner.staffId };
  }

  /** Creates a staff account through the API and logs it in. */
  async function hire(restaurant: TestRestaurant, role: string, station?: string) {
    const username = uniqueName(role.toLowerCase());
    const password = strongPassword();
    secrets.push(password);
    const created = await api('POST', `/v1/restaurants/${restaurant.restaurantId}/staff`, {
      token: restaurant.ownerToken,
      body: { username, password, role, station },
    });
    expect(created.status).toBe(201);
    const session = await login(restaurant.restaurantId, username, password);
    return { staffId: created.body.staffId as string, username, password, token: session.body.token as string };
  }

  return { api, login, createRestaurantWithCli, hire };
}
