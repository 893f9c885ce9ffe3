import * as z from 'zod';
import { ValidationError } from '../errors';

/** An opaque page cursor: a DynamoDB LastEvaluatedKey, base64url-encoded. */
export const encodeCursor = (key: Record<string, unknown>): string => Buffer.from(JSON.stringify(key)).toString('base64url');

/**
 * Reads a cursor back, refusing (400) anything that is not a key of the expected shape or that
 * points outside the list it was issued for, so a forged cursor cannot reach another tenant's data.
 */
export function decodeCursor<K extends Record<string, string>>(cursor: string, shape: z.ZodType<K>, belongs: (key: K) => boolean): K {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = shape.safeParse(decoded);
  if (!parsed.success || !belongs(parsed.data)) throw new ValidationError([{ path: 'query.cursor', message: 'Not a cursor from this list.' }]);
  return parsed.data;
}

/** Key attributes as a cursor carries them, within DynamoDB's key size limits. */
const KeyPart = z.string().min(1).max(1024);
export const TableKey = z.strictObject({ pk: KeyPart, sk: KeyPart });
export const Gsi1Key = TableKey.extend({ gsi1pk: KeyPart, gsi1sk: KeyPart });
export const Gsi2Key = TableKey.extend({ gsi2pk: KeyPart, gsi2sk: KeyPart });
