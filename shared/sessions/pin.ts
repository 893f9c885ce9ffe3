import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { env } from '../config/env';

let key: Promise<Buffer> | undefined;

/** The HMAC key: from Secrets Manager once per container when deployed, from PIN_KEY locally. */
function pinKey(): Promise<Buffer> {
  key ??= (async () => {
    const { PIN_KEY, PIN_KEY_SECRET_ARN } = env();
    if (PIN_KEY) return Buffer.from(PIN_KEY);
    if (!PIN_KEY_SECRET_ARN) throw new Error('Neither PIN_KEY_SECRET_ARN (deployed) nor PIN_KEY (local) is set');
    const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: PIN_KEY_SECRET_ARN }));
    if (!secret.SecretString) throw new Error('PIN key secret has no value');
    return Buffer.from(secret.SecretString);
  })().catch((error: unknown) => {
    key = undefined; // let the next request try again
    throw error;
  });
  return key;
}

/** A new PIN of `length` digits from the CSPRNG (leading zeros kept). */
export function generatePin(length = env().PIN_LENGTH): string {
  return String(randomInt(0, 10 ** length)).padStart(length, '0');
}

/**
 * PINs are stored only as an HMAC keyed with a secret kept outside the table, bound to the
 * session: a copy of the table alone does not reveal them, even though 10^4 PINs are few.
 */
export async function hashPin(sessionId: string, pin: string): Promise<string> {
  return createHmac('sha256', await pinKey()).update(`${sessionId}:${pin}`).digest('base64url');
}

export async function verifyPin(sessionId: string, pin: string, storedHash: string): Promise<boolean> {
  const actual = Buffer.from(await hashPin(sessionId, pin), 'base64url');
  const expected = Buffer.from(storedHash, 'base64url');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
