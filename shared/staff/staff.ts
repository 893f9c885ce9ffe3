import { ulid } from 'ulid';
import type * as z from 'zod';
import { hashPassword } from '../auth/passwords';
import type { StaffPrincipal } from '../auth/principal';
import { clearLoginLockout, deleteStaffItems, getStaff, queryStaff, putStaff } from '../db/staff';
import type { Staff } from '../db/staff';
import { deleteAllStaffTokens } from '../db/tokens';
import { TransactionCancelledError, transactWrite } from '../db/transact';
import type { TransactItem } from '../db/transact';
import { ConflictError, NotFoundError } from '../errors';
import { assertMayManageStaff } from '../auth/permissions';
import { logger } from '../observability/logger';
import type { CreateStaffBody } from '../contract/requests';
import type { StaffMember } from '../contract/responses';

export type CreateStaffInput = z.infer<typeof CreateStaffBody>;

/** What clients see of a staff member: never a password or a hash. */
export type StaffView = z.infer<typeof StaffMember>;

export const toStaffView = ({ staffId, username, role, station }: Staff): StaffView => ({ staffId, username, role, station });

/**
 * The writes that create a staff member; shared with restaurant creation, which adds the owner in
 * the same transaction. Index 1 of the result fails when the username is taken.
 */
export async function newStaffItems(
  restaurantId: string,
  input: CreateStaffInput,
  now: Date,
): Promise<{ staff: Staff; items: TransactItem[] }> {
  const staff: Staff = {
    restaurantId,
    staffId: ulid(now.getTime()),
    username: input.username,
    role: input.role,
    station: input.station ?? null,
    createdAt: now.toISOString(),
  };
  return { staff, items: putStaff(staff, await hashPassword(input.password)) };
}

export async function createStaff(actor: StaffPrincipal, input: CreateStaffInput, now: Date): Promise<StaffView> {
  assertMayManageStaff(actor, input, 'create');
  const { staff, items } = await newStaffItems(actor.restaurantId, input, now);
  try {
    await transactWrite(items);
  } catch (error) {
    if (error instanceof TransactionCancelledError && error.failed('credential')) {
      throw new ConflictError('USERNAME_TAKEN', 'That username is already used in this restaurant.');
    }
    throw error;
  }
  logger.info('staff created', { restaurantId: staff.restaurantId, staffId: staff.staffId, by: actor.staffId });
  return toStaffView(staff);
}

export async function listStaff(actor: StaffPrincipal): Promise<StaffView[]> {
  return (await queryStaff(actor.restaurantId)).map(toStaffView);
}

/** Clears a staff member's login lockout (an OWNER's only by an owner). */
export async function unlockStaff(actor: StaffPrincipal, staffId: string): Promise<void> {
  const staff = await getStaff(actor.restaurantId, staffId);
  if (!staff) throw new NotFoundError();
  assertMayManageStaff(actor, staff, 'unlock');
  await clearLoginLockout(actor.restaurantId, staff.username);
  logger.info('staff login unlocked', { restaurantId: actor.restaurantId, staffId, by: actor.staffId });
}

/** Deletes a staff member; every token they hold stops working on its next use. */
export async function deleteStaff(actor: StaffPrincipal, staffId: string): Promise<void> {
  const staff = await getStaff(actor.restaurantId, staffId);
  if (!staff) throw new NotFoundError();
  assertMayManageStaff(actor, staff, 'delete');
  try {
    await transactWrite(deleteStaffItems(staff));
  } catch (error) {
    if (error instanceof TransactionCancelledError && error.failed('staff')) throw new NotFoundError();
    throw error;
  }
  // After the delete, no new token can be issued (login conditions on the staff item), so this
  // consistent sweep catches every token that will ever exist for this person.
  await deleteAllStaffTokens(actor.restaurantId, staffId);
  logger.info('staff deleted', { restaurantId: actor.restaurantId, staffId, by: actor.staffId });
}
