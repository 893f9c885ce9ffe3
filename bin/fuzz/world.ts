import { randomBytes } from 'node:crypto';
import { createRestaurant } from '../../shared/restaurants/restaurants';
import { callJson } from './wire';

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON from the wire, checked by status */

/** The callers a fuzzed request can present, by name; resolved to a live token when it is sent. */
export const CALLERS = ['A.owner', 'A.manager', 'A.waiter', 'A.kitchen', 'A.guest', 'A.otherGuest', 'B.owner', 'B.guest'] as const;
export type Caller = (typeof CALLERS)[number];

/** The ids a fuzzed request can name, by the parameter or field they fill. Index 0 is restaurant A's, 1 restaurant B's. */
export const ID_NAMES = ['restaurantId', 'tableId', 'sessionId', 'itemId', 'orderId', 'staffId', 'guestId', 'requestId', 'groupId', 'optionId', 'tableCode', 'pin', 'username'] as const;
export type IdName = (typeof ID_NAMES)[number];

interface Restaurant {
  ids: Record<IdName, string>;
  tokens: Partial<Record<string, string>>;
}

/** Where the fuzzer's own set-up logs in from, so the fuzzed requests' failures never block it. */
const SETUP_IP = '192.0.2.10';

const password = () => `Fz-${randomBytes(12).toString('base64url')}`;

/**
 * Two restaurants, each with staff of every role, a dish with a required option group, a table with
 * an open FAMILY session, two guests, an order and an open service request. The fuzzer's requests
 * may revoke, close or delete any of it, so `refresh` makes new staff logins, table, session, guests,
 * order and request; the restaurants and their owners stay (owners log in with their device token,
 * which no lockout a fuzzed login caused can refuse).
 */
export class World {
  private readonly restaurants: Restaurant[] = [];
  private readonly owners: { restaurantId: string; password: string; deviceToken?: string }[] = [];

  constructor(private readonly apiUrl: string) {}

  async create(): Promise<void> {
    for (const name of ['Fuzz Bistro A', 'Fuzz Bistro B']) {
      const secret = password();
      const { restaurantId } = await createRestaurant({ name, currency: 'EUR', owner: 'owner', password: secret }, new Date());
      this.owners.push({ restaurantId, password: secret });
    }
    await this.refresh();
  }

  async refresh(): Promise<void> {
    this.restaurants.length = 0;
    for (const owner of this.owners) this.restaurants.push(await this.furnish(owner));
  }

  id(name: IdName, which: number): string {
    return (this.restaurants[which % this.restaurants.length] as Restaurant).ids[name];
  }

  token(caller: Caller): string {
    const [which, role] = caller.split('.') as [string, string];
    return this.restaurants[which === 'A' ? 0 : 1]?.tokens[role] ?? '';
  }

  private async call(method: string, path: string, token: string | undefined, body?: unknown, expected = [200, 201]) {
    const response = await callJson(this.apiUrl, method, path, { token, body, ip: SETUP_IP });
    if (!expected.includes(response.status)) throw new Error(`fuzz set-up: ${method} ${path} answered ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as any;
  }

  private async furnish(owner: { restaurantId: string; password: string; deviceToken?: string }): Promise<Restaurant> {
    const r = owner.restaurantId;
    const login = await this.call('POST', '/v1/staff/login', undefined, { restaurantId: r, username: 'owner', password: owner.password, ...(owner.deviceToken ? { deviceToken: owner.deviceToken } : {}) });
    owner.deviceToken = login.deviceToken;
    const tokens: Restaurant['tokens'] = { owner: login.token };
    let staffId = '';
    for (const [role, extra] of [['MANAGER', {}], ['WAITER', {}], ['KITCHEN', { station: 'GRILL' }]] as const) {
      const username = `${role.toLowerCase()}-${randomBytes(4).toString('hex')}`;
      const secret = password();
      staffId = (await this.call('POST', `/v1/restaurants/${r}/staff`, tokens.owner, { username, password: secret, role, ...extra })).staffId;
      tokens[role.toLowerCase()] = (await this.call('POST', '/v1/staff/login', undefined, { restaurantId: r, username, password: secret })).token;
    }
    const item = await this.call('POST', `/v1/restaurants/${r}/menu/items`, tokens.owner, {
      name: 'Steak',
      category: 'Mains',
      priceCents: 2450,
      station: 'GRILL',
      optionGroups: [{ name: 'Doneness', minSelected: 1, maxSelected: 1, options: [{ name: 'Rare', priceDeltaCents: 0 }, { name: 'Well done', priceDeltaCents: 0 }] }],
    });
    const group = item.optionGroups[0];
    const table = await this.call('POST', `/v1/restaurants/${r}/tables`, tokens.owner, { name: `Fuzz ${randomBytes(3).toString('hex')}` });
    const session = await this.call('POST', `/v1/restaurants/${r}/tables/${table.tableId}/sessions`, tokens.waiter, { mode: 'FAMILY' });
    const join = () => this.call('POST', '/v1/sessions/join', undefined, { tableCode: table.tableCode, pin: session.pin, guestName: 'Fuzzy' });
    const guest = await join();
    tokens.guest = guest.token;
    tokens.otherGuest = (await join()).token;
    const options = [{ groupId: group.groupId, optionIds: [group.options[0].optionId] }];
    const cart = await this.call('POST', '/v1/cart/lines', tokens.guest, { itemId: item.itemId, quantity: 1, options });
    const order = await callJson(this.apiUrl, 'POST', '/v1/orders', {
      token: tokens.guest,
      body: { cartVersion: cart.version },
      ip: SETUP_IP,
      headers: [['Idempotency-Key', `fuzz-${randomBytes(8).toString('hex')}`]],
    });
    if (order.status !== 201) throw new Error(`fuzz set-up: placing an order answered ${order.status}`);
    // A line in the cart again, so placing and changing it has something to work on.
    await this.call('POST', '/v1/cart/lines', tokens.guest, { itemId: item.itemId, quantity: 2, options });
    const request = await this.call('POST', '/v1/session/requests', tokens.guest, { type: 'CALL_WAITER' });
    return {
      tokens,
      ids: {
        restaurantId: r,
        tableId: table.tableId,
        sessionId: session.sessionId,
        itemId: item.itemId,
        orderId: (order.body as any).orderId,
        staffId,
        guestId: guest.guestId,
        requestId: request.requestId,
        groupId: group.groupId,
        optionId: group.options[0].optionId,
        tableCode: table.tableCode,
        pin: session.pin,
        username: 'owner',
      },
    };
  }
}
