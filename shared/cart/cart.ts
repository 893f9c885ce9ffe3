import { ulid } from 'ulid';
import type * as z from 'zod';
import type { GuestPrincipal, GuestRef } from '../auth/principal';
import { FAMILY_CART, addCartLine, fetchCart, removeCartLine, updateCartLine } from '../db/carts';
import type { Cart, CartLine } from '../db/carts';
import { getMenuItem } from '../db/menu';
import type { MenuItem } from '../db/menu';
import { chooseOptions, unitPrice } from '../menu/options';
import type { Selection } from '../menu/options';
import { ConflictError, ItemUnavailableError, NotFoundError } from '../errors';
import type { AddLineBody, UpdateLineBody } from '../contract/requests';
import type { Cart as CartSchema } from '../contract/responses';

export const MAX_CART_LINES = 100;

export type CartView = z.infer<typeof CartSchema>;

/** FAMILY sessions share one cart; in INDIVIDUAL sessions each guest has their own. */
export const cartOwner = (guest: Pick<GuestRef, 'mode' | 'guestId'>): string => (guest.mode === 'FAMILY' ? FAMILY_CART : guest.guestId);

/** Totals are computed here, from the server's prices, never taken from a client. */
export function toCartView(cart: Cart): CartView {
  // Only the contract's fields: a line's menu snapshot (station, allergens, revision) stays on the server.
  const lines = cart.lines.map(({ lineId, itemId, name, quantity, unitPriceCents, notes, options, addedBy }) => (
    { lineId, itemId, name, quantity, unitPriceCents, notes, options, addedBy, lineTotalCents: unitPriceCents * quantity }
  ));
  return { version: cart.version, lines, totalCents: lines.reduce((sum, line) => sum + line.lineTotalCents, 0) };
}

async function requireCart(guest: GuestRef): Promise<Cart> {
  const cart = await fetchCart(guest.sessionId, cartOwner(guest));
  if (!cart) throw new NotFoundError('No cart.');
  return cart;
}

export async function getCart(guest: GuestRef): Promise<CartView> {
  return toCartView(await requireCart(guest));
}

/** A live, available menu item (404 unknown or archived, 409 unavailable). */
async function orderableItem(restaurantId: string, itemId: string): Promise<MenuItem> {
  const item = await getMenuItem(restaurantId, itemId);
  if (!item || item.archivedAt) throw new NotFoundError('No such menu item.');
  if (!item.available) throw new ItemUnavailableError([item.itemId]);
  return item;
}

/**
 * A line's price and the menu's snapshot of the dish with the chosen options, checked against the
 * item's option groups: what the line keeps, and what placement later orders at (while the item's
 * revision is unchanged).
 */
function pricedWith(item: MenuItem, selection: Selection | undefined) {
  const options = chooseOptions(item.optionGroups, selection);
  return {
    name: item.name,
    unitPriceCents: unitPrice(item.priceCents, options),
    options,
    station: item.station,
    allergens: item.allergens,
    course: item.course,
    kitchenName: item.kitchenName,
    prepMinutes: item.prepMinutes,
    menuRevision: item.revision,
  };
}

/** Adds a line at the menu's current price, with its options checked and priced. */
export async function addLine(guest: GuestPrincipal, input: z.infer<typeof AddLineBody>, now: Date): Promise<CartView> {
  const item = await orderableItem(guest.restaurantId, input.itemId);
  const line: CartLine = {
    lineId: ulid(now.getTime()),
    itemId: item.itemId,
    quantity: input.quantity,
    notes: input.notes ?? null,
    addedBy: guest.guestId,
    addedAt: now.toISOString(),
    ...pricedWith(item, input.options),
  };
  const cart = await addCartLine(guest.sessionId, cartOwner(guest), line, MAX_CART_LINES);
  if (!cart) throw new ConflictError('CART_FULL', `A cart holds at most ${MAX_CART_LINES} lines.`);
  return toCartView(cart);
}

/** Changes a line; quantity 0 removes it; new options are checked and priced against the menu as it is now. */
export async function updateLine(guest: GuestPrincipal, lineId: string, input: z.infer<typeof UpdateLineBody>): Promise<CartView> {
  if (input.quantity === 0) return removeLine(guest, lineId);
  const { options, ...changes } = input;
  let repriced = {};
  if (options !== undefined) {
    const line = (await requireCart(guest)).lines.find((candidate) => candidate.lineId === lineId);
    if (!line) throw new NotFoundError('No such line in the cart.');
    repriced = pricedWith(await orderableItem(guest.restaurantId, line.itemId), options);
  }
  const cart = await updateCartLine(guest.sessionId, cartOwner(guest), lineId, { ...changes, ...repriced });
  if (!cart) throw new NotFoundError('No such line in the cart.');
  return toCartView(cart);
}

export async function removeLine(guest: GuestPrincipal, lineId: string): Promise<CartView> {
  const cart = await removeCartLine(guest.sessionId, cartOwner(guest), lineId);
  if (!cart) throw new NotFoundError('No such line in the cart.');
  return toCartView(cart);
}

