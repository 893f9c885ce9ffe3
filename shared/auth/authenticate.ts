import { UnauthenticatedError } from '../errors';
import { getToken } from '../db/tokens';
import { hashToken } from './tokens';
import type { Principal } from './principal';

/**
 * Resolves a bearer token to its principal, or throws UnauthenticatedError. Expiry is checked
 * here on every call because DynamoDB's TTL deletes expired items only eventually.
 */
export async function authenticate(token: string | undefined, now: Date): Promise<Principal> {
  if (!token) throw new UnauthenticatedError();
  const tokenHash = hashToken(token);
  const record = await getToken(tokenHash);
  if (!record || Date.parse(record.expiresAt) <= now.getTime()) throw new UnauthenticatedError();
  const { restaurantId, staffId, role, station } = record;
  return { kind: 'staff', restaurantId, staffId, role, station, tokenHash };
}
