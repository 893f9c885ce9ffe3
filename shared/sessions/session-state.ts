import type { TableSession } from '../db/sessions';

/** Open and not past its expiry: an expired session behaves exactly like a closed one. */
export const isSessionLive = (session: TableSession, now: Date): boolean =>
  session.status === 'OPEN' && Date.parse(session.expiresAt) > now.getTime();

/** The status clients see: `CLOSED` also for a session that expired without being closed. */
export const effectiveStatus = (session: TableSession, now: Date): 'OPEN' | 'CLOSED' =>
  isSessionLive(session, now) ? 'OPEN' : 'CLOSED';
