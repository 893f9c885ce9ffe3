import * as z from 'zod';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ROLES } from '../core';
import { db, tableName } from './client';
import { keyPrefixes, keys } from './keys';
import { queryAll } from './query';
import { named } from './transact';
import type { TransactItem } from './transact';
import { ENTITY } from './entities';

const StaffItem = z.object({
  restaurantId: z.string(),
  staffId: z.string(),
  username: z.string(),
  role: z.enum(ROLES),
  station: z.string().nullable().default(null),
  createdAt: z.string(),
});
export type Staff = z.infer<typeof StaffItem>;

export interface Credential {
  staffId: string;
  passwordHash: string;
}

const toStaff = (item: Record<string, unknown>): Staff => StaffItem.parse(item);

/**
 * Puts for a new staff member: the staff item and, separately, the credential keyed by username
 * (which makes usernames unique per restaurant). `credential` fails when the username is taken.
 */
export function putStaff(staff: Staff, passwordHash: string): TransactItem[] {
  return [
    named('staff', {
      Put: {
        TableName: tableName(),
        Item: { ...keys.staff(staff.restaurantId, staff.staffId), type: ENTITY.staff, ...staff },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }),
    named('credential', {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.credential(staff.restaurantId, staff.username),
          type: ENTITY.credential,
          staffId: staff.staffId,
          passwordHash,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }),
  ];
}

/** Deletes of a staff member and their credential; `staff` fails when the person is already gone. */
export function deleteStaffItems(staff: Staff): TransactItem[] {
  return [
    named('staff', {
      Delete: {
        TableName: tableName(),
        Key: keys.staff(staff.restaurantId, staff.staffId),
        ConditionExpression: 'attribute_exists(pk)',
      },
    }),
    named('credential', { Delete: { TableName: tableName(), Key: keys.credential(staff.restaurantId, staff.username) } }),
  ];
}

/** Condition that the staff member still exists, for writes that must not outlive them. */
export function staffExists(restaurantId: string, staffId: string): TransactItem {
  return named('staff', {
    ConditionCheck: {
      TableName: tableName(),
      Key: keys.staff(restaurantId, staffId),
      ConditionExpression: 'attribute_exists(pk)',
    },
  });
}

export async function getStaff(restaurantId: string, staffId: string): Promise<Staff | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.staff(restaurantId, staffId), ConsistentRead: true }),
  );
  return Item && toStaff(Item);
}

export async function getCredential(restaurantId: string, username: string): Promise<Credential | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.credential(restaurantId, username), ConsistentRead: true }),
  );
  return Item && { staffId: Item.staffId, passwordHash: Item.passwordHash };
}

/** All staff of a restaurant: one Query on its partition (a restaurant has tens, not thousands). */
export async function queryStaff(restaurantId: string): Promise<Staff[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keyPrefixes.restaurantPk(restaurantId), ':prefix': keyPrefixes.staff },
  });
  return items.map(toStaff);
}
