import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { env } from '../config/env';
import { REJOIN_CODE_ALPHABET } from '../contract/fields';

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

const keyed = async (input: string) => createHmac('sha256', await pinKey()).update(input).digest('base64url');

const sameSecret = (actual: string, expected: string) => {
  const [a, b] = [Buffer.from(actual), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * PINs are stored only as an HMAC keyed with a secret kept outside the table, bound to the
 * session: a copy of the table alone does not reveal them, even though 10^6 PINs are few.
 */
export const hashPin = (sessionId: string, pin: string): Promise<string> => keyed(`${sessionId}:${pin}`);

export async function verifyPin(sessionId: string, pin: string, storedHash: string): Promise<boolean> {
  return sameSecret(await hashPin(sessionId, pin), storedHash);
}

/**
 * The proof a guest keeps to resume as themselves: derived from the key, the session and the guest,
 * so it is never stored, every join of that guest returns the same one, and nobody else can make it.
 */
export const resumeSecretFor = async (sessionId: string, guestId: string): Promise<string> => `rs_${await keyed(`resume:${sessionId}:${guestId}`)}`;

export async function verifyResumeSecret(sessionId: string, guestId: string, secret: string): Promise<boolean> {
  return sameSecret(await resumeSecretFor(sessionId, guestId), secret);
}

/** A staff-issued rejoin code: 8 characters from the CSPRNG (about 2^39.6), stored only as an HMAC. */
export function generateRejoinCode(): string {
  return Array.from({ length: 8 }, () => REJOIN_CODE_ALPHABET[randomInt(REJOIN_CODE_ALPHABET.length)]).join('');
}

export const hashRejoinCode = (sessionId: string, code: string): Promise<string> => keyed(`rejoin:${sessionId}:${code}`);
