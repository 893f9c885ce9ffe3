import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, unknownUserHash, verifyPassword } from '../../shared/auth/passwords';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery!', stored)).toBe(false);
  });

  it('stores scrypt parameters and a per-password salt, never the password', async () => {
    const [first, second] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(first).toMatch(/^scrypt\$17\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('same password');
  });

  it('still verifies older, weaker hashes, and says they need hashing again', async () => {
    // A hash made with N = 2^15 (the parameters before 2^17): salt and key as that version wrote them.
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.alloc(16, 7);
    const old = ['scrypt', 15, 8, 1, salt.toString('base64url'), scryptSync('old password', salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }).toString('base64url')].join('$');
    expect(await verifyPassword('old password', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(await hashPassword('old password'))).toBe(false);
  });

  it('treats a malformed stored hash as a mismatch', async () => {
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
    expect(await verifyPassword('anything', 'scrypt$15$8$1$$')).toBe(false);
  });

  it('has a decoy hash for unknown users that no password matches by accident', async () => {
    expect(await verifyPassword('', await unknownUserHash())).toBe(false);
  });
});
