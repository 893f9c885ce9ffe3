import { ulid } from 'ulid';
import * as z from 'zod';
import { hashPassword } from '../auth/passwords';
import type { StaffPrincipal } from '../auth/principal';
import { deleteStaffItems, getStaff, queryStaff, putStaff } from '../db/staff';
import type { Staff } from '../db/staff';
import { deleteAllStaffTokens } from '../db/tokens';
import { TransactionCancelledError, transactWrite } from '../db/transact';
import type { TransactItem } from '../db/transact';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { ROLES } from '../core';
import type { Role } from '../core';
import { logger } from '../observability/logger';

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,64}$/, 'Use 3 to 64 letters, digits, dots, dashes or underscores.');

/** Bounded above so that nobody can make the server hash megabytes. */
export const Password = z.string().min(10, 'Use at least 10 characters.').max(128);

export const Station = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, 'Use 1 to 32 letters, digits, dashes or underscores.')
  .transform((station) => station.toUpperCase());

export const CreateStaffBody = z
  .object({
    username: Username,
    password: Password,
    role: z.enum(ROLES),
    station: Station.nullish(),
  })
  .refine((body) => body.station == null || body.role === 'KITCHEN', {
    message: 'Only KITCHEN accounts have a station.',
    path: ['station'],
  });
export type CreateStaffInput = z.infer<typeof CreateStaffBody>;

/** What clients see of a staff member: never a password or a hash. */
export interface StaffView {
  staffId: string;
  username: string;
  role: Role;
  station: string | null;
}

export const toStaffView = ({ staffId, username, role, station }: Staff): StaffView => ({ staffId, username, role, station });

/** OWNER accounts are managed by owners only. */
function assertMayManage(actor: StaffPrincipal, role: Role): void {
  if (role === 'OWNER' && actor.role !== 'OWNER') throw new ForbiddenError('Only an owner can manage owner accounts.');
}

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
  assertMayManage(actor, input.role);
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

/** Deletes a staff member; every token they hold stops working on its next use. */
export async function deleteStaff(actor: StaffPrincipal, staffId: string): Promise<void> {
  const staff = await getStaff(actor.restaurantId, staffId);
  if (!staff) throw new NotFoundError();
  assertMayManage(actor, staff.role);
  if (staff.staffId === actor.staffId) throw new ForbiddenError('You cannot delete your own account.');
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
