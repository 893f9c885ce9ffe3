import * as z from 'zod';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchWrite, deleteRequest } from './batch';
import { ROLES } from '../core';
import { db, tableName } from './client';
import { keyPrefixes, keys } from './keys';
import type { Key } from './keys';
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

const CredentialItem = z.object({ staffId: z.string(), passwordHash: z.string() });
export type Credential = z.infer<typeof CredentialItem>;

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
  return Item && CredentialItem.parse(Item);
}

/** Replaces a password hash (a stronger hash of the same password), if the credential is still that person's. */
export async function replacePasswordHash(restaurantId: string, username: string, staffId: string, passwordHash: string): Promise<void> {
  await db()
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.credential(restaurantId, username),
        UpdateExpression: 'SET passwordHash = :hash',
        ConditionExpression: 'staffId = :staffId',
        ExpressionAttributeValues: { ':hash': passwordHash, ':staffId': staffId },
      }),
    )
    .catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
}

/** Clears a username's login lockouts: the one for unknown devices together and every source's. */
export async function clearLoginLockout(restaurantId: string, username: string): Promise<void> {
  const sources = (await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keyPrefixes.restaurantPk(restaurantId), ':prefix': keyPrefixes.loginSources(username) },
    ProjectionExpression: 'pk, sk',
    ConsistentRead: true,
  })) as unknown as Key[];
  await batchWrite([keys.loginAttempts(restaurantId, username), ...sources].map(deleteRequest));
}

/** All staff of a restaurant: one Query on its partition (a restaurant has tens, not thousands). */
export async function queryStaff(restaurantId: string): Promise<Staff[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keyPrefixes.restaurantPk(restaurantId), ':prefix': keyPrefixes.staff },
  });
  return items.map(toStaff);
}
