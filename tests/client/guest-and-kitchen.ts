import createClient from 'openapi-fetch';
import type { paths } from '../../shared/contract/openapi';

/**
 * A full guest-and-kitchen flow written against the client generated from the OpenAPI document
 * (`openapi-typescript` + `openapi-fetch`), without a single cast: if the document stops describing
 * what a client reads, this file stops type-checking (tests/unit/openapi-client.test.ts), and the
 * e2e suite runs it against the local runtime.
 */

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The success body, or an error naming the status and the error body. */
async function ok<T>(request: Promise<Outcome<T>>): Promise<T> {
  const { data, error, response } = await request;
  if (data === undefined) throw new Error(`${response.url}: ${response.status} ${JSON.stringify(error)}`);
  return data;
}

export interface FlowInput {
  baseUrl: string;
  restaurantId: string;
  owner: { username: string; password: string };
  /** A password for the kitchen account the flow hires. */
  kitchenPassword: string;
  idempotencyKey: string;
  /** The fetch the clients use (a test's checking wrapper); the global one when absent. */
  fetch?: (request: Request) => Promise<Response>;
}

export async function guestAndKitchenFlow({ baseUrl, restaurantId, owner, kitchenPassword, idempotencyKey, fetch = globalThis.fetch }: FlowInput) {
  const anonymous = createClient<paths>({ baseUrl, fetch });
  const as = (token: string) => createClient<paths>({ baseUrl, fetch, headers: { Authorization: `Bearer ${token}` } });
  const restaurant = { params: { path: { restaurantId } } };

  // Back office: the owner hires a grill cook, puts a dish on the menu, sets a table and opens a session.
  const ownerLogin = await ok(anonymous.POST('/v1/staff/login', { body: { restaurantId, ...owner } }));
  const staff = as(ownerLogin.token);
  const cook = await ok(staff.POST('/v1/restaurants/{restaurantId}/staff', { ...restaurant, body: { username: `grill-${idempotencyKey.slice(0, 8)}`, password: kitchenPassword, role: 'KITCHEN', station: 'grill' } }));
  const kitchenLogin = await ok(anonymous.POST('/v1/staff/login', { body: { restaurantId, username: cook.username, password: kitchenPassword } }));
  const kitchen = as(kitchenLogin.token);
  const steak = await ok(staff.POST('/v1/restaurants/{restaurantId}/menu/items', {
    ...restaurant,
    body: { name: 'Steak', category: 'Mains', priceCents: 2450, station: 'GRILL', allergens: ['mustard'] },
  }));
  const table = await ok(staff.POST('/v1/restaurants/{restaurantId}/tables', { ...restaurant, body: { name: 'Terrace 4' } }));
  const session = await ok(staff.POST('/v1/restaurants/{restaurantId}/tables/{tableId}/sessions', {
    params: { path: { restaurantId, tableId: table.tableId } },
    body: { mode: 'FAMILY' },
  }));

  // The guest scans the code, reads the menu, joins with the PIN, fills the cart and orders.
  const scanned = await ok(anonymous.GET('/v1/tables/{tableCode}', { params: { path: { tableCode: table.tableCode } } }));
  const menu = await ok(anonymous.GET('/v1/restaurants/{restaurantId}/menu', { params: { path: { restaurantId: scanned.restaurant.restaurantId } } }));
  const dish = menu.categories.flatMap((category) => category.items).find((item) => item.itemId === steak.itemId);
  if (!dish?.available) throw new Error('The new dish is not on the public menu.');
  const joined = await ok(anonymous.POST('/v1/sessions/join', { body: { tableCode: table.tableCode, pin: session.pin, guestName: 'Ada' } }));
  // A guarded session answers 202 with a join request to poll; this table is not under attack.
  if (!('token' in joined)) throw new Error(`The join is pending approval (${joined.joinRequestId}).`);
  const guest = as(joined.token);
  const cart = await ok(guest.POST('/v1/cart/lines', { body: { itemId: dish.itemId, quantity: 2, notes: 'medium rare' } }));
  const order = await ok(guest.POST('/v1/orders', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body: { cartVersion: cart.version } }));

  // The grill sees a price-free ticket and cooks it; the owner serves it; the guest follows along.
  const page = await ok(kitchen.GET('/v1/restaurants/{restaurantId}/kitchen/tickets', { params: { path: { restaurantId }, query: { station: 'GRILL' } } }));
  const ticket = page.tickets.find((candidate) => candidate.orderId === order.orderId);
  const line = ticket?.lines[0];
  if (!ticket || !line) throw new Error('The order never reached the grill.');
  const linePath = { params: { path: { restaurantId, orderId: order.orderId, lineId: line.lineId } } };
  await ok(kitchen.PATCH('/v1/restaurants/{restaurantId}/kitchen/orders/{orderId}/lines/{lineId}', { ...linePath, body: { status: 'IN_PROGRESS' } }));
  await ok(kitchen.PATCH('/v1/restaurants/{restaurantId}/kitchen/orders/{orderId}/lines/{lineId}', { ...linePath, body: { status: 'READY' } }));
  const served = await ok(staff.PATCH('/v1/restaurants/{restaurantId}/kitchen/orders/{orderId}/lines/{lineId}', { ...linePath, body: { status: 'SERVED' } }));
  const followed = await ok(guest.GET('/v1/orders/{orderId}', { params: { path: { orderId: order.orderId } } }));
  const bill = await ok(staff.GET('/v1/restaurants/{restaurantId}/sessions/{sessionId}', { params: { path: { restaurantId, sessionId: session.sessionId } } }));

  return {
    guestName: bill.guests.find((entry) => entry.guestId === joined.guestId)?.guestName,
    orderTotalCents: order.totalCents,
    ticketLine: { name: line.name, quantity: line.quantity, notes: line.notes, allergens: line.allergens, station: line.station },
    servedLineStatus: served.status,
    guestSeesStatus: followed.status,
    billTotalCents: bill.bill.totalCents,
  };
}
