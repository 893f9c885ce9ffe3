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

const isAuthorization = ([name]: [string, unknown]) => name.toLowerCase() === 'authorization';

/** The token from `Authorization: Bearer <token>` (header name in any case). */
export function bearerToken(headers: Record<string, string | undefined> | null | undefined): string | undefined {
  const entry = Object.entries(headers ?? {}).find(isAuthorization);
  const match = /^Bearer\s+(\S+)\s*$/i.exec(entry?.[1] ?? '');
  return match?.[1];
}

/**
 * Whether a request sent `Authorization` more than once (in any case). Such a request has no
 * token at all: API Gateway would hand on one of them, so a second header could swap the identity
 * a proxy or a log saw for another.
 */
export const sentAuthorizationTwice = (multiValueHeaders: Record<string, string[] | undefined> | null | undefined): boolean =>
  Object.entries(multiValueHeaders ?? {})
    .filter(isAuthorization)
    .flatMap(([, values]) => values ?? []).length > 1;
