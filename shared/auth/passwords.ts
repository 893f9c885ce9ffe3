import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';
import { env } from '../config/env';

/**
 * Passwords are hashed with scrypt (node:crypto). The parameters travel inside the stored string
 * (`scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`), so they can be raised later without breaking old hashes.
 * N = 2^17, r = 8, p = 1 (OWASP's recommendation) uses 128 MiB and a few hundred ms per hash on a
 * Lambda core: slow for guessing, fine for a login. N comes from the environment (PASSWORD_HASH_LOG2_N,
 * 17 unless a test harness lowers it). Older, weaker hashes are replaced at the next successful login
 * ({@link needsRehash}).
 */
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { ...options, maxmem: 256 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const log2N = env().PASSWORD_HASH_LOG2_N;
  const key = await derive(password, salt, { N: 2 ** log2N, r: R, p: P });
  return ['scrypt', log2N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time comparison; a malformed stored hash simply does not verify. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, log2N, r, p, salt, expected] = stored.split('$');
  if (scheme !== 'scrypt' || !log2N || !r || !p || !salt || !expected) return false;
  const expectedKey = Buffer.from(expected, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N: 2 ** Number(log2N), r: Number(r), p: Number(p) });
  return key.length === expectedKey.length && timingSafeEqual(key, expectedKey);
}

/** Whether a stored hash is weaker than today's parameters (or not ours): hash the password again after it verifies. */
export function needsRehash(stored: string): boolean {
  const [scheme, log2N, r, p] = stored.split('$');
  return scheme !== 'scrypt' || Number(log2N) < env().PASSWORD_HASH_LOG2_N || Number(r) !== R || Number(p) !== P;
}

let dummyHash: Promise<string> | undefined;

/**
 * A hash to verify against when the username does not exist, so an unknown user costs the same
 * time as a wrong password and the two cannot be told apart.
 */
export function unknownUserHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}
