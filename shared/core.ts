import * as z from 'zod';

/**
 * The vocabulary every layer shares: staff roles, ids, session modes and liveness. It imports
 * nothing of this project (a lint rule holds it to that), so anything may depend on it. Errors,
 * the other shared word, live beside it in `shared/errors.ts` under the same rule.
 */

export const ROLES = ['OWNER', 'MANAGER', 'WAITER', 'KITCHEN'] as const;
export type Role = (typeof ROLES)[number];

/** Opaque ids (ULIDs here); the bound keeps a hostile path from becoming an oversized key. */
export const Id = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/);

/** FAMILY: one cart and every order shared by the table; INDIVIDUAL: a cart and orders per guest. */
export const SESSION_MODES = ['FAMILY', 'INDIVIDUAL'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

/** What a session's liveness depends on. */
export interface SessionLife {
  status: string;
  expiresAt: string;
}

/** Open and not past its expiry: an expired session behaves exactly like a closed one. */
export const isSessionLive = (session: SessionLife, now: Date): boolean => session.status === 'OPEN' && Date.parse(session.expiresAt) > now.getTime();

/** The status clients see: `CLOSED` also for a session that expired without being closed. */
export const effectiveStatus = (session: SessionLife, now: Date): 'OPEN' | 'CLOSED' => (isSessionLive(session, now) ? 'OPEN' : 'CLOSED');
