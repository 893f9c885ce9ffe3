import { ulid } from 'ulid';
import type * as z from 'zod';
import type { GuestPrincipal, GuestRef } from '../auth/principal';
import { FAMILY_CART, addCartLine, fetchCart, removeCartLine, updateCartLine } from '../db/carts';
import type { Cart, CartLine } from '../db/carts';
import { getMenuItem } from '../db/menu';
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
  const lines = cart.lines.map(({ lineId, itemId, name, quantity, unitPriceCents, notes, addedBy }) => (
    { lineId, itemId, name, quantity, unitPriceCents, notes, addedBy, lineTotalCents: unitPriceCents * quantity }
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

/** Adds a line at the menu's current price and name (404 unknown or archived item, 409 unavailable). */
export async function addLine(guest: GuestPrincipal, input: z.infer<typeof AddLineBody>, now: Date): Promise<CartView> {
  const item = await getMenuItem(guest.restaurantId, input.itemId);
  if (!item || item.archivedAt) throw new NotFoundError('No such menu item.');
  if (!item.available) throw new ItemUnavailableError([item.itemId]);
  const line: CartLine = {
    lineId: ulid(now.getTime()),
    itemId: item.itemId,
    name: item.name,
    quantity: input.quantity,
    unitPriceCents: item.priceCents,
    notes: input.notes ?? null,
    addedBy: guest.guestId,
    addedAt: now.toISOString(),
    station: item.station,
    allergens: item.allergens,
    menuRevision: item.revision,
  };
  const cart = await addCartLine(guest.sessionId, cartOwner(guest), line, MAX_CART_LINES);
  if (!cart) throw new ConflictError('CART_FULL', `A cart holds at most ${MAX_CART_LINES} lines.`);
  return toCartView(cart);
}

/** Changes a line; quantity 0 removes it. */
export async function updateLine(guest: GuestPrincipal, lineId: string, input: z.infer<typeof UpdateLineBody>): Promise<CartView> {
  const cart =
    input.quantity === 0
      ? await removeCartLine(guest.sessionId, cartOwner(guest), lineId)
      : await updateCartLine(guest.sessionId, cartOwner(guest), lineId, input);
  if (!cart) throw new NotFoundError('No such line in the cart.');
  return toCartView(cart);
}

export async function removeLine(guest: GuestPrincipal, lineId: string): Promise<CartView> {
  const cart = await removeCartLine(guest.sessionId, cartOwner(guest), lineId);
  if (!cart) throw new NotFoundError('No such line in the cart.');
  return toCartView(cart);
}

