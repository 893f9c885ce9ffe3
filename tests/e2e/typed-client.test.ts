import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestAndKitchenFlow } from '../client/guest-and-kitchen';
import { runAdmin } from '../support/admin-cli';
import { moneyKeys } from '../support/price-free';
import { strongPassword, uniqueName } from '../support/restaurant';
import { assertDocumented } from './support/contract';
import { startRuntime } from './support/local-runtime';
import type { RunningRuntime } from './support/local-runtime';

let runtime: RunningRuntime;

beforeAll(async () => {
  runtime = await startRuntime();
});

afterAll(async () => {
  await runtime?.stop();
});

describe('the client generated from the OpenAPI document', () => {
  it('runs a whole guest-and-kitchen flow, every response as the document says', async () => {
    const owner = { username: uniqueName('owner'), password: strongPassword() };
    const created = await runAdmin(['create-restaurant', '--name', 'Typed Bistro', '--currency', 'EUR', '--owner', owner.username], { env: { OWNER_PASSWORD: owner.password } });
    expect(created.code, created.stderr).toBe(0);
    const { restaurantId } = JSON.parse(created.stdout);

    let checked = 0;
    const checkingFetch = async (request: Request) => {
      const response = await globalThis.fetch(request);
      const text = await response.clone().text();
      const isJson = response.headers.get('content-type')?.includes('application/json');
      await assertDocumented(runtime.url, request.method, request.url, { status: response.status, headers: response.headers, body: text && isJson ? JSON.parse(text) : text || undefined });
      checked++;
      return response;
    };

    const result = await guestAndKitchenFlow({
      baseUrl: runtime.url,
      restaurantId,
      owner,
      kitchenPassword: strongPassword(),
      idempotencyKey: randomUUID(),
      fetch: checkingFetch,
    });

    expect(result).toEqual({
      guestName: 'Ada',
      orderTotalCents: 4900,
      ticketLine: { name: 'Steak', quantity: 2, notes: 'medium rare', allergens: ['mustard'], station: 'GRILL' },
      servedLineStatus: 'SERVED',
      guestSeesStatus: 'SERVED',
      billTotalCents: 4900,
    });
    expect(moneyKeys(result.ticketLine)).toEqual([]);
    expect(checked).toBe(17);
  });
});
