import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyValidationError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { Context } from 'aws-lambda';
import { createHash, randomUUID } from 'node:crypto';
import type { GuestPrincipal } from '../auth/principal';
import { cartOwner } from '../cart/cart';
import { batchGet, keyId } from '../db/batch-get';
import { emptyCart, fetchCart, toCart } from '../db/carts';
import type { CartLine } from '../db/carts';
import { idempotencyStore } from '../db/idempotency-store';
import { keys } from '../db/keys';
import { menuItemUnchanged, toMenuItem } from '../db/menu';
import type { MenuItem } from '../db/menu';
import { getOrder, nextTicketNumber, putOrder, toOrder } from '../db/orders';
import type { Order, OrderLine } from '../db/orders';
import { sessionLiveCondition, toSession } from '../db/sessions';
import type { TableSession } from '../db/sessions';
import { toRestaurant } from '../db/restaurants';
import type { Restaurant } from '../db/restaurants';
import { FIRED_AT_PLACEMENT } from '../kitchen/courses';
import { TransactionCancelledError, transactWrite } from '../db/transact';
import { AppError, ConflictError, ItemUnavailableError, SessionClosedError, ValidationError } from '../errors';
import { chooseOptions, selectionOf, unitPrice } from '../menu/options';
import { measureDynamoDb } from '../observability/dynamodb-usage';
import type { DynamoDbUsage } from '../observability/dynamodb-usage';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';
import { isSessionLive } from '../core';
import { toOrderView } from './orders';
import type { OrderView } from './orders';

/** TransactWriteItems takes 100 actions: the order, its reference, the cart, the session, and one check per dish. */
const MAX_DISHES_PER_ORDER = 96;
const MENU_RACE_RETRIES = 2;

export interface PlaceOrderRequest {
  sessionId: string;
  guestId: string;
  mode: GuestPrincipal['mode'];
  restaurantId: string;
  tableId: string;
  idempotencyKey: string;
  cartVersion: number;
  /** Unique per call: a stored result with another nonce is a replay. Not part of the key or the payload hash. */
  nonce: string;
}

export interface PlacementDeps {
  transactWrite: typeof transactWrite;
}

/** The order id follows from session + key, so even a lost idempotency record cannot make a second order. */
export const deriveOrderId = (sessionId: string, idempotencyKey: string): string =>
  `o${createHash('sha256').update(`${sessionId}\n${idempotencyKey}`).digest('base64url').slice(0, 25)}`;

const cartChanged = (currentVersion: number) =>
  new ConflictError('CART_CHANGED', 'The cart changed since you looked at it. Review it and try again.', { currentVersion });
const cartEmpty = () => new ConflictError('CART_EMPTY', 'The cart is empty.');

/**
 * The revision each dish was priced at, when every line carries one and the lines of a dish agree;
 * `undefined` sends the placement to the menu (lines added before revisions existed).
 */
function revisionsFromCart(lines: CartLine[]): Map<string, number> | undefined {
  const revisions = new Map<string, number>();
  for (const line of lines) {
    if (line.menuRevision === undefined || line.station === undefined) return undefined;
    if ((revisions.get(line.itemId) ?? line.menuRevision) !== line.menuRevision) return undefined;
    revisions.set(line.itemId, line.menuRevision);
  }
  return revisions;
}

/** The dishes as the menu has them now (one BatchGetItem); 409 ITEM_UNAVAILABLE names any that cannot be ordered. */
async function itemsFromMenu(restaurantId: string, itemIds: string[]): Promise<Map<string, MenuItem>> {
  const found = await batchGet(itemIds.map((itemId) => keys.menuItem(restaurantId, itemId)));
  const items = itemIds.map((itemId) => found.get(keyId(keys.menuItem(restaurantId, itemId)))).map((item) => item && toMenuItem(item));
  const unavailable = itemIds.filter((_, i) => !items[i]?.available || items[i]?.archivedAt);
  if (unavailable.length > 0) throw new ItemUnavailableError(unavailable);
  return new Map((items as MenuItem[]).map((item) => [item.itemId, item]));
}

/**
 * A cart line as ordered: priced as the cart has it (its dish unchanged since), or again from the
 * menu item as it is now, options included (an option gone or unavailable is 409; groups whose
 * rules changed under the line are MENU_CHANGED: the guest chooses again).
 */
function orderLine(line: CartLine, item: MenuItem | undefined, kitchen: KitchenPlan, now: Date): OrderLine {
  const course = item ? item.course : (line.course ?? 0);
  const held = kitchen.holds(course);
  const common = {
    lineId: line.lineId,
    itemId: line.itemId,
    quantity: line.quantity,
    notes: line.notes,
    status: held ? ('HELD' as const) : ('QUEUED' as const),
    firedAt: held ? null : now.toISOString(),
    updatedAt: now.toISOString(),
  };
  if (!item) {
    return {
      ...common,
      name: line.name,
      unitPriceCents: line.unitPriceCents,
      options: line.options,
      station: line.station ?? '',
      allergens: line.allergens ?? [],
      kitchenName: line.kitchenName ?? null,
      course,
      prepMinutes: line.prepMinutes ?? kitchen.defaultPrepMinutes,
    };
  }
  let options;
  try {
    options = chooseOptions(item.optionGroups, selectionOf(line.options));
  } catch (error) {
    if (error instanceof ValidationError) throw new ConflictError('MENU_CHANGED', `The options of ${item.name} changed since it went into the cart: choose them again.`);
    throw error;
  }
  const { name, station, allergens, kitchenName, prepMinutes } = item;
  return { ...common, name, unitPriceCents: unitPrice(item.priceCents, options), options, station, allergens, kitchenName, course, prepMinutes: prepMinutes ?? kitchen.defaultPrepMinutes };
}

/** How the kitchen takes this restaurant's lines: which courses wait to be fired, and the prep time of items without one. */
interface KitchenPlan {
  holds(course: number): boolean;
  defaultPrepMinutes: number | null;
}

/** With coursing, a line waits (`HELD`) when its course is above 1 and above what the session has fired already. */
function kitchenPlan(restaurant: Restaurant | undefined, session: TableSession): KitchenPlan {
  const fired = Math.max(FIRED_AT_PLACEMENT, session.firedCourse);
  return { holds: (course) => Boolean(restaurant?.coursing) && course > fired, defaultPrepMinutes: restaurant?.defaultPrepMinutes ?? null };
}

/**
 * Turns the cart into an order, once, in three round trips of its own (Powertools adds the put and
 * update of its record, the REST wrapper the audit entry): one BatchGetItem (session, cart, an
 * order with this id, the table for its name, the restaurant for coursing and the default prep
 * time), the ticket counter, and one TransactWriteItems that
 * puts the order (attribute_not_exists), empties the cart (condition: still at `cartVersion`),
 * checks the session is live and that every dish is available and unchanged since the revision its
 * lines were priced at. Prices are therefore the menu's at placement without reading the menu: only
 * when a dish changed since it went into the cart does the placement read the menu and try again.
 * Any failed condition leaves everything as it was.
 */
export async function placeOrderOnce(request: PlaceOrderRequest, deps: PlacementDeps, now: Date): Promise<{ order: OrderView; nonce: string }> {
  const { sessionId, restaurantId } = request;
  const owner = cartOwner(request);
  const orderId = deriveOrderId(sessionId, request.idempotencyKey);
  const done = (order: Order) => ({ order: toOrderView(order), nonce: request.nonce });

  const found = await batchGet([
    keys.session(sessionId),
    keys.cart(sessionId, owner),
    keys.order(sessionId, orderId),
    keys.table(restaurantId, request.tableId),
    keys.restaurant(restaurantId),
  ]);
  const existing = found.get(keyId(keys.order(sessionId, orderId)));
  if (existing) return done(toOrder(existing));
  const sessionItem = found.get(keyId(keys.session(sessionId)));
  const session = sessionItem && toSession(sessionItem);
  if (!session || !isSessionLive(session, now)) throw new SessionClosedError();
  const restaurantItem = found.get(keyId(keys.restaurant(restaurantId)));
  const kitchen = kitchenPlan(restaurantItem && toRestaurant(restaurantItem), session);
  const cartItem = found.get(keyId(keys.cart(sessionId, owner)));
  const cart = cartItem && toCart(cartItem);
  if (!cart || cart.lines.length === 0) throw cartEmpty();
  if (cart.version !== request.cartVersion) throw cartChanged(cart.version);

  const itemIds = [...new Set(cart.lines.map((line) => line.itemId))];
  if (itemIds.length > MAX_DISHES_PER_ORDER) {
    throw new ConflictError('CART_FULL', `One order can hold at most ${MAX_DISHES_PER_ORDER} different dishes.`);
  }
  const number = await nextTicketNumber(restaurantId, now);
  const fromCart = revisionsFromCart(cart.lines);
  let items = fromCart ? undefined : await itemsFromMenu(restaurantId, itemIds);

  for (let attempt = 0; ; attempt++) {
    const lines = cart.lines.map((line) => orderLine(line, items?.get(line.itemId), kitchen, now));
    const revisions = items ? new Map([...items.values()].map((item) => [item.itemId, item.revision])) : (fromCart as Map<string, number>);
    const order: Order = {
      orderId,
      sessionId,
      restaurantId,
      tableId: request.tableId,
      tableName: String(found.get(keyId(keys.table(restaurantId, request.tableId)))?.name ?? ''),
      number,
      status: 'PLACED',
      placedAt: now.toISOString(),
      placedBy: request.guestId,
      lines,
      totalCents: lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0),
      revision: 0,
    };
    try {
      await deps.transactWrite([
        ...putOrder(order),
        emptyCart(sessionId, owner, cart.version),
        sessionLiveCondition(sessionId, now),
        ...[...revisions].map(([itemId, revision]) => menuItemUnchanged(restaurantId, itemId, revision)),
      ]);
      return done(order);
    } catch (error) {
      if (!(error instanceof TransactionCancelledError)) throw error;
      if (error.failed('order')) return done((await getOrder(sessionId, orderId)) as Order);
      if (error.failed('cart')) {
        const latest = await fetchCart(sessionId, owner);
        throw latest && latest.lines.length > 0 ? cartChanged(latest.version) : cartEmpty();
      }
      if (error.failed('sessionLive')) throw new SessionClosedError();
      // Anything but a dish's condition (a conflict that outlasted the retries, a throttle) is not a changed dish.
      if (error.unexplained || !error.failedConditions.some((name) => name.startsWith('menuItem:'))) throw error;
      // A dish changed (price, name, station, availability) since it was priced: order it as the menu has it now.
      if (attempt === MENU_RACE_RETRIES) throw new ConflictError('MENU_CHANGED', 'The menu is changing right now. Try again.');
      items = await itemsFromMenu(restaurantId, itemIds);
    }
  }
}

/**
 * `POST /v1/orders`: Powertools idempotency around {@link placeOrderOnce} (makeIdempotent, not the
 * middy middleware), keyed by session + Idempotency-Key, with the payload (cart version and guest)
 * validated, so a replay returns the first result, a different request with the same key is 422 and
 * a concurrent duplicate is 409. Collaborators are injectable for fault-injection tests.
 */
export function createOrderPlacer(deps: PlacementDeps = { transactWrite }) {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: '[sessionId, idempotencyKey]',
    payloadValidationJmesPath: '[cartVersion, guestId]',
    expiresAfterSeconds: 24 * 3600,
  });
  // Built on the first placement, not at import: the persistence layer needs the table's name and the client.
  let idempotent: ((request: PlaceOrderRequest) => Promise<{ order: OrderView; nonce: string }>) | undefined;
  const idempotentPlacement = (request: PlaceOrderRequest) =>
    (idempotent ??= makeIdempotent((first: PlaceOrderRequest) => placeOrderOnce(first, deps, new Date()), {
      persistenceStore: idempotencyStore(),
      config,
    }))(request);

  return async function placeOrder(
    guest: GuestPrincipal,
    /** The key as the route's contract validated it. */
    input: { idempotencyKey: string; cartVersion: number },
    context: Context,
  ): Promise<{ order: OrderView; replayed: boolean }> {
    config.registerLambdaContext(context);
    const nonce = randomUUID();
    try {
      let usage: DynamoDbUsage | undefined;
      const result = await measureDynamoDb(
        () =>
          idempotentPlacement({
            sessionId: guest.sessionId,
            guestId: guest.guestId,
            mode: guest.mode,
            restaurantId: guest.restaurantId,
            tableId: guest.tableId,
            idempotencyKey: input.idempotencyKey,
            cartVersion: input.cartVersion,
            nonce,
          }),
        (measured) => (usage = measured),
      );
      const replayed = result.nonce !== nonce;
      if (!replayed) {
        count('OrdersPlaced');
        // What a placement costs, Powertools' record included: the round trips by name and the units consumed.
        logger.info('order placed', {
          restaurantId: guest.restaurantId,
          sessionId: guest.sessionId,
          orderId: result.order.orderId,
          number: result.order.number,
          lines: result.order.lines.length,
          dynamoDbCalls: usage?.calls.map((call) => call.operation),
          readCapacityUnits: usage?.readUnits,
          writeCapacityUnits: usage?.writeUnits,
        });
      }
      return { order: result.order, replayed };
    } catch (error) {
      count('OrderPlacementFailed');
      if (error instanceof IdempotencyValidationError) {
        throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request.');
      }
      if (error instanceof IdempotencyAlreadyInProgressError) {
        throw new ConflictError('IDEMPOTENCY_IN_PROGRESS', 'The first request with this Idempotency-Key is still running.');
      }
      throw error;
    }
  };
}

