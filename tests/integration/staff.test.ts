import { GetCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../../shared/auth/authenticate';
import type { StaffPrincipal } from '../../shared/auth/principal';
import { loginStaff, logout } from '../../shared/staff/login';
import { env } from '../../shared/config/env';
import { db, tableName } from '../../shared/db/client';
import { ConflictError, ForbiddenError, InvalidCredentialsError, NotFoundError, TooManyRequestsError, UnauthenticatedError } from '../../shared/errors';
import { createRestaurant, getRestaurant } from '../../shared/restaurants/restaurants';
import { createStaff, deleteStaff, listStaff } from '../../shared/staff/staff';
import { strongPassword, uniqueName } from '../support/restaurant';

const now = () => new Date();
/** Where the test's logins come from (one source: its failures count together). */
const TEST_IP = '203.0.113.7';

async function restaurantWithOwner() {
  const password = strongPassword();
  const created = await createRestaurant({ name: 'Test Bistro', currency: 'EUR', owner: 'owner', password }, now());
  const { token } = await loginStaff({ restaurantId: created.restaurantId, username: 'owner', password }, TEST_IP, now());
  const owner = (await authenticate(token, now())) as StaffPrincipal;
  return { ...created, owner, ownerToken: token };
}

describe('restaurants and staff (DynamoDB Local)', () => {
  it('creates a restaurant with its owner, readable by its staff', async () => {
    const { owner, restaurantId } = await restaurantWithOwner();
    expect(owner).toMatchObject({ kind: 'staff', restaurantId, role: 'OWNER', station: null });
    expect(await getRestaurant(owner)).toEqual({ restaurantId, name: 'Test Bistro', currency: 'EUR', languages: ['en'], maxGuestsPerSession: 20, coursing: false, defaultPrepMinutes: null, dueSoonMinutes: 2 });
  });

  it('keeps usernames unique per restaurant', async () => {
    const { owner } = await restaurantWithOwner();
    const input = { username: uniqueName('cook'), password: strongPassword(), role: 'KITCHEN' as const, station: 'GRILL' };
    await createStaff(owner, input, now());
    await expect(createStaff(owner, input, now())).rejects.toMatchObject({ status: 409, code: 'USERNAME_TAKEN' });
    await expect(createStaff(owner, input, now())).rejects.toBeInstanceOf(ConflictError);
  });

  it('never stores a password or hash on what the staff list reads', async () => {
    const { owner, restaurantId } = await restaurantWithOwner();
    const password = strongPassword();
    await createStaff(owner, { username: uniqueName('waiter'), password, role: 'WAITER' }, now());

    const listed = await listStaff(owner);
    expect(listed).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toMatch(/password|hash|scrypt/i);

    const { Items } = await db().send(
      new ScanCommand({ TableName: tableName(), FilterExpression: 'restaurantId = :r', ExpressionAttributeValues: { ':r': restaurantId } }),
    );
    expect(JSON.stringify(Items)).not.toContain(password);
  });

  it('revokes every token of a deleted staff member, and refuses their login', async () => {
    const { owner, restaurantId } = await restaurantWithOwner();
    const username = uniqueName('waiter');
    const password = strongPassword();
    const waiter = await createStaff(owner, { username, password, role: 'WAITER' }, now());
    const first = await loginStaff({ restaurantId, username, password }, TEST_IP, now());
    const second = await loginStaff({ restaurantId, username, password }, TEST_IP, now());

    await deleteStaff(owner, waiter.staffId);

    await expect(authenticate(first.token, now())).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(authenticate(second.token, now())).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(loginStaff({ restaurantId, username, password }, TEST_IP, now())).rejects.toBeInstanceOf(InvalidCredentialsError);
    await expect(deleteStaff(owner, waiter.staffId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lets only owners manage owners, and nobody delete themselves', async () => {
    const { owner, restaurantId } = await restaurantWithOwner();
    const username = uniqueName('manager');
    const password = strongPassword();
    await createStaff(owner, { username, password, role: 'MANAGER' }, now());
    const manager = (await authenticate((await loginStaff({ restaurantId, username, password }, TEST_IP, now())).token, now())) as StaffPrincipal;

    await expect(createStaff(manager, { username: uniqueName('boss'), password, role: 'OWNER' }, now())).rejects.toBeInstanceOf(ForbiddenError);
    await expect(deleteStaff(manager, owner.staffId)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(deleteStaff(owner, owner.staffId)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('staff login and tokens (DynamoDB Local)', () => {
  it('gives the same error for an unknown user and a wrong password', async () => {
    const { restaurantId } = await restaurantWithOwner();
    await expect(loginStaff({ restaurantId, username: 'owner', password: 'not-the-password' }, TEST_IP, now())).rejects.toBeInstanceOf(
      InvalidCredentialsError,
    );
    await expect(loginStaff({ restaurantId, username: 'nobody', password: 'not-the-password' }, TEST_IP, now())).rejects.toBeInstanceOf(
      InvalidCredentialsError,
    );
  });

  it('locks a username out after five failures, even for the right password', async () => {
    const password = strongPassword();
    const { restaurantId } = await createRestaurant({ name: 'Lockout', currency: 'EUR', owner: 'owner', password }, now());
    for (let i = 0; i < 5; i++) {
      await expect(loginStaff({ restaurantId, username: 'owner', password: 'wrong-password' }, TEST_IP, now())).rejects.toBeInstanceOf(
        InvalidCredentialsError,
      );
    }
    const blocked = await loginStaff({ restaurantId, username: 'owner', password }, TEST_IP, now()).catch((error: unknown) => error);
    expect(blocked).toBeInstanceOf(TooManyRequestsError);
    expect(blocked).toMatchObject({ code: 'LOGIN_BLOCKED' });
    const retryAfter = Number((blocked as TooManyRequestsError).headers['Retry-After']);
    expect(retryAfter).toBeGreaterThan(890);
    expect(retryAfter).toBeLessThanOrEqual(900);
  });

  it('writes nothing into a restaurant for logins naming it or a username it does not have', async () => {
    const { restaurantId } = await restaurantWithOwner();
    const partition = async (pk: string) =>
      (await db().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }))).Items ?? [];
    const before = await partition(`RESTAURANT#${restaurantId}`);
    const ghost = `01GHOST${Date.now()}`;
    for (const [id, username] of [[ghost, 'owner'], [restaurantId, 'nobody']] as const) {
      await expect(loginStaff({ restaurantId: id, username, password: 'not-the-password' }, TEST_IP, now())).rejects.toBeInstanceOf(InvalidCredentialsError);
    }
    expect(await partition(`RESTAURANT#${ghost}`)).toEqual([]);
    expect(await partition(`RESTAURANT#${restaurantId}`)).toEqual(before);
  });

  it('hashes a weaker stored password again at the next successful login', async () => {
    const { restaurantId } = await restaurantWithOwner();
    const password = strongPassword();
    const { scryptSync, randomBytes } = await import('node:crypto');
    const salt = randomBytes(16);
    const weak = ['scrypt', 11, 8, 1, salt.toString('base64url'), scryptSync(password, salt, 32, { N: 2 ** 11, r: 8, p: 1 }).toString('base64url')].join('$');
    const key = { pk: `RESTAURANT#${restaurantId}`, sk: 'CREDENTIAL#owner' };
    await db().send(new UpdateCommand({ TableName: tableName(), Key: key, UpdateExpression: 'SET passwordHash = :hash', ExpressionAttributeValues: { ':hash': weak } }));
    await loginStaff({ restaurantId, username: 'owner', password }, TEST_IP, now());
    const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: key }));
    expect(String(Item?.passwordHash).split('$').slice(0, 4)).toEqual(['scrypt', String(env().PASSWORD_HASH_LOG2_N), '8', '1']);
    await loginStaff({ restaurantId, username: 'owner', password }, TEST_IP, now());
  });

  it('issues 256-bit tokens that expire and that logout revokes', async () => {
    const { restaurantId, ownerToken } = await restaurantWithOwner();
    expect(Buffer.from(ownerToken.slice(3), 'base64url')).toHaveLength(32);

    const principal = await authenticate(ownerToken, now());
    expect(principal.restaurantId).toBe(restaurantId);
    await expect(authenticate(ownerToken, new Date(Date.now() + 13 * 3600_000))).rejects.toBeInstanceOf(UnauthenticatedError);

    await logout(principal);
    await expect(authenticate(ownerToken, now())).rejects.toBeInstanceOf(UnauthenticatedError);
  });
});
