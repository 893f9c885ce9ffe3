import { describe, expect, it } from 'vitest';
import { hashPassword, unknownUserHash, verifyPassword } from '../../shared/auth/passwords';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery!', stored)).toBe(false);
  });

  it('stores scrypt parameters and a per-password salt, never the password', async () => {
    const [first, second] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(first).toMatch(/^scrypt\$15\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('same password');
  });

  it('treats a malformed stored hash as a mismatch', async () => {
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
    expect(await verifyPassword('anything', 'scrypt$15$8$1$$')).toBe(false);
  });

  it('has a decoy hash for unknown users that no password matches by accident', async () => {
    expect(await verifyPassword('', await unknownUserHash())).toBe(false);
  });
});
