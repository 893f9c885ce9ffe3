import * as z from 'zod';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keys } from './keys';
import { ENTITY } from './entities';
import { epochSeconds } from './time';

/**
 * A staff device, known by the SHA-256 of its device token and bound to one staff member. Its own
 * failed logins are counted on this item (the fields of an attempt counter), so only they can block it.
 */
const DeviceItem = z.object({ restaurantId: z.string(), staffId: z.string(), username: z.string(), expiresAt: z.string() });
export type Device = z.infer<typeof DeviceItem>;

export async function getDevice(restaurantId: string, deviceHash: string): Promise<Device | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.device(restaurantId, deviceHash), ConsistentRead: true }));
  return Item && DeviceItem.parse(Item);
}

/** Registers a device for a staff member, or extends it: valid until `expiresAt`, then gone by TTL. */
export async function saveDevice(deviceHash: string, device: Device): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.device(device.restaurantId, deviceHash),
      UpdateExpression: 'SET #type = :type, restaurantId = :restaurantId, staffId = :staffId, username = :username, expiresAt = :expiresAt, #ttl = :ttl',
      ExpressionAttributeNames: { '#type': 'type', '#ttl': 'ttl' },
      ExpressionAttributeValues: {
        ':type': ENTITY.device,
        ':restaurantId': device.restaurantId,
        ':staffId': device.staffId,
        ':username': device.username,
        ':expiresAt': device.expiresAt,
        ':ttl': epochSeconds(new Date(device.expiresAt)),
      },
    }),
  );
}
