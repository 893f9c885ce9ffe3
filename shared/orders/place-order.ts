import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyValidationError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { createHash, randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { GuestPrincipal } from '../auth/principal';
import { ItemUnavailableError, cartOwner } from '../cart/cart';
import { batchGet, keyId } from '../db/batch-get';
import { CapacityMeter } from '../db/capacity';
import { emptyCart, getCart, toCart } from '../db/carts';
import { dynamoClient, tableName } from '../db/client';
import { IDEMPOTENCY_PK, keys } from '../db/keys';
import { menuItemUnchanged, toMenuItem } from '../db/menu';
import type { MenuItem } from '../db/menu';
import { getOrder, nextTicketNumber, putOrder, toOrder } from '../db/orders';
import type { Order } from '../db/orders';
import { sessionIsLive, toSession } from '../db/sessions';
import { TransactionCancelledError, transactWrite } from '../db/transact';
import { AppError, ConflictError, SessionClosedError } from '../errors';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';
import { isSessionLive } from '../sessions/session-state';
import { toOrderView } from './orders';
import type { OrderView } from './orders';

/** `Idempotency-Key`: 1–255 of A-Z a-z 0-9 _ - . : */
export const IdempotencyKey = z.string().regex(/^[A-Za-z0-9_.:-]{1,255}$/);
export const PlaceOrderBody = z.strictObject({ cartVersion: z.number().int().min(0) });

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
 * Turns the cart into an order, once. Round trips: one BatchGetItem (session, cart, an order with
 * this id, the table for its name), one for the menu items, the ticket counter, and one TransactWriteItems that puts the
 * order (attribute_not_exists), empties the cart (condition: still at `cartVersion`), checks the
 * session is live and every dish is still available at the price used. Any failed condition leaves
 * everything as it was.
 */
export async function placeOrderOnce(request: PlaceOrderRequest, deps: PlacementDeps, now: Date): Promise<{ order: OrderView; nonce: string }> {
  const { sessionId } = request;
  const owner = cartOwner(request);
  const orderId = deriveOrderId(sessionId, request.idempotencyKey);
  const done = (order: Order) => ({ order: toOrderView(order), nonce: request.nonce });
  const meter = new CapacityMeter();

  const found = await batchGet(
    [
    keys.session(sessionId),
    keys.cart(sessionId, owner),
    keys.order(sessionId, orderId),
    keys.table(request.restaurantId, request.tableId),
    ],
    true,
    meter,
  );
  const existing = found.get(keyId(keys.order(sessionId, orderId)));
  if (existing) return done(toOrder(existing));
  const sessionItem = found.get(keyId(keys.session(sessionId)));
  if (!sessionItem || !isSessionLive(toSession(sessionItem), now)) throw new SessionClosedError();
  const cartItem = found.get(keyId(keys.cart(sessionId, owner)));
  const cart = cartItem && toCart(cartItem);
  if (!cart || cart.lines.length === 0) throw cartEmpty();
  if (cart.version !== request.cartVersion) throw cartChanged(cart.version);

  const itemIds = [...new Set(cart.lines.map((line) => line.itemId))];
  if (itemIds.length > MAX_DISHES_PER_ORDER) {
    throw new ConflictError('CART_FULL', `One order can hold at most ${MAX_DISHES_PER_ORDER} different dishes.`);
  }
  const number = await nextTicketNumber(request.restaurantId, now, meter);

  for (let attempt = 0; ; attempt++) {
    // Prices and availability as they are now, not as they were when the lines were added.
    const menuItems = await batchGet(
      itemIds.map((itemId) => keys.menuItem(request.restaurantId, itemId)),
      true,
      meter,
    );
    const menu = new Map<string, MenuItem>();
    for (const itemId of itemIds) {
      const item = menuItems.get(keyId(keys.menuItem(request.restaurantId, itemId)));
      if (item) menu.set(itemId, toMenuItem(item));
    }
    const unavailable = itemIds.filter((itemId) => !menu.get(itemId)?.available || menu.get(itemId)?.archivedAt);
    if (unavailable.length > 0) throw new ItemUnavailableError(unavailable);

    const lines = cart.lines.map((line) => {
      const item = menu.get(line.itemId) as MenuItem;
      return {
        lineId: line.lineId,
        itemId: line.itemId,
        name: item.name,
        quantity: line.quantity,
        unitPriceCents: item.priceCents,
        notes: line.notes,
        station: item.station,
        allergens: item.allergens,
        status: 'QUEUED' as const,
        updatedAt: now.toISOString(),
      };
    });
    const order: Order = {
      orderId,
      sessionId,
      restaurantId: request.restaurantId,
      tableId: request.tableId,
      tableName: String(found.get(keyId(keys.table(request.restaurantId, request.tableId)))?.name ?? ''),
      number,
      status: 'PLACED',
      placedAt: now.toISOString(),
      placedBy: request.guestId,
      lines,
      totalCents: lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0),
      revision: 0,
    };
    try {
      const transaction = await deps.transactWrite([
        ...putOrder(order),
        emptyCart(sessionId, owner, cart.version),
        sessionIsLive(sessionId, now),
        ...[...menu.values()].map(menuItemUnchanged),
      ]);
      meter.add('write', transaction);
      // Our round trips and units; Powertools adds two more round trips (its record put and update).
      logger.info('order placed', {
        restaurantId: order.restaurantId,
        sessionId,
        orderId,
        number,
        lines: lines.length,
        roundTrips: meter.roundTrips,
        readCapacityUnits: meter.units.read,
        writeCapacityUnits: meter.units.write,
      });
      return done(order);
    } catch (error) {
      if (!(error instanceof TransactionCancelledError)) throw error;
      if (error.failed(0)) return done((await getOrder(sessionId, orderId)) as Order);
      if (error.failed(2)) {
        const latest = await getCart(sessionId, owner);
        throw latest && latest.lines.length > 0 ? cartChanged(latest.version) : cartEmpty();
      }
      if (error.failed(3)) throw new SessionClosedError();
      // A dish changed price or availability between our read and the write: read the menu again.
      if (attempt === MENU_RACE_RETRIES) throw new ConflictError('MENU_CHANGED', 'The menu is changing right now. Try again.');
    }
  }
}

const persistenceStore = new DynamoDBPersistenceLayer({
  tableName,
  keyAttr: 'pk',
  sortKeyAttr: 'sk',
  staticPkValue: IDEMPOTENCY_PK,
  expiryAttr: 'ttl',
  awsSdkV3Client: dynamoClient,
});

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
  const idempotentPlacement = makeIdempotent((request: PlaceOrderRequest) => placeOrderOnce(request, deps, new Date()), {
    persistenceStore,
    config,
  });

  return async function placeOrder(
    guest: GuestPrincipal,
    input: { idempotencyKey: string | undefined; cartVersion: number },
    context: Context,
  ): Promise<{ order: OrderView; replayed: boolean }> {
    const idempotencyKey = IdempotencyKey.safeParse(input.idempotencyKey);
    if (!idempotencyKey.success) {
      throw new AppError(400, 'IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header: 1 to 255 of A-Z a-z 0-9 _ - . :');
    }
    config.registerLambdaContext(context);
    const nonce = randomUUID();
    try {
      const result = await idempotentPlacement({
        sessionId: guest.sessionId,
        guestId: guest.guestId,
        mode: guest.mode,
        restaurantId: guest.restaurantId,
        tableId: guest.tableId,
        idempotencyKey: idempotencyKey.data,
        cartVersion: input.cartVersion,
        nonce,
      });
      const replayed = result.nonce !== nonce;
      if (!replayed) count('OrdersPlaced');
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

