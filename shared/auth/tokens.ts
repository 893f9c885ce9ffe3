import { createHash, randomBytes } from 'node:crypto';

/**
 * Bearer tokens are 256 random bits. Only their SHA-256 is stored: a fast hash is right here
 * because the input is high-entropy, so the stored hash cannot be reversed or guessed.
 */
export function generateToken(prefix: 'st' | 'gt' | 'pt' | 'dt'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The token from `Authorization: Bearer <token>` (header name in any case). */
export function bearerToken(headers: Record<string, string | undefined> | null | undefined): string | undefined {
  const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'authorization');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(entry?.[1] ?? '');
  return match?.[1];
}
