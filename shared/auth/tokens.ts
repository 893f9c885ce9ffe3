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

/**
 * How many times a request sent a header, whatever the case of its name (API Gateway's
 * multiValueHeaders). A header sent more than once has no one value: API Gateway hands on the last,
 * so a second `Authorization` could swap the identity a proxy or a log saw for another.
 */
export const timesSent = (multiValueHeaders: Record<string, string[] | undefined> | null | undefined, name: string): number =>
  Object.entries(multiValueHeaders ?? {})
    .filter(([sent]) => sent.toLowerCase() === name.toLowerCase())
    .reduce((sum, [, values]) => sum + (values?.length ?? 0), 0);
