import type { Role } from '../core';
import { ForbiddenError } from '../errors';
import type { LineStatus } from '../contract/fields';
import type { StaffPrincipal } from './principal';

/**
 * The role rules finer than a route's `allow` list (the contract's Roles table): which staff account
 * may change what. Pure, so each rule is unit-tested on its own; the domain calls them before it
 * reads or writes anything.
 */

type Actor = Pick<StaffPrincipal, 'role' | 'staffId'>;

/** OWNER accounts are managed by owners only; nobody deletes their own account. */
export function assertMayManageStaff(actor: Actor, target: { role: Role; staffId?: string }, action: 'create' | 'delete' | 'unlock'): void {
  if (target.role === 'OWNER' && actor.role !== 'OWNER') throw new ForbiddenError('Only an owner can manage owner accounts.');
  if (action === 'delete' && target.staffId === actor.staffId) throw new ForbiddenError('You cannot delete your own account.');
}

/** The kitchen may only mark items (un)available: it 86es dishes from the line. */
export function assertMayChangeMenuItem(actor: Actor, changedFields: readonly string[]): void {
  if (actor.role === 'KITCHEN' && changedFields.some((field) => field !== 'available' && field !== 'availableAgainAt')) {
    throw new ForbiddenError('Kitchen accounts may only change `available` and `availableAgainAt`.');
  }
}

/** Waiters run food: they may only mark lines SERVED. */
export function assertMayMoveLine(actor: Actor, to: LineStatus): void {
  if (actor.role === 'WAITER' && to !== 'SERVED') throw new ForbiddenError('Waiters may only mark lines SERVED.');
}
