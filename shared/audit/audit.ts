import { AsyncLocalStorage } from 'node:async_hooks';
import { ulid } from 'ulid';
import type * as z from 'zod';
import type { Principal, StaffPrincipal } from '../auth/principal';
import { putAuditEntry, queryAudit } from '../db/audit';
import type { AuditEntry } from '../db/audit';
import { keyPrefixes } from '../db/keys';
import { TableKey, decodeCursor, encodeCursor } from '../db/cursor';
import { ValidationError } from '../errors';
import { logger } from '../observability/logger';
import type { AuditQuery } from '../contract/requests';

/** Ids that say what an audited request was about; the domain adds those the request did not carry. */
export type AuditSubject = Partial<
  Record<'restaurantId' | 'sessionId' | 'tableId' | 'guestId' | 'staffId' | 'itemId' | 'orderId' | 'username' | 'joinRequestId', string>
>;

const subjects = new AsyncLocalStorage<AuditSubject>();

/** Runs a request with a place for the domain to note its audit subject. */
export function withAuditSubject<T>(subject: AuditSubject, run: () => Promise<T>): Promise<T> {
  return subjects.run(subject, run);
}

/** Notes ids for the current request's audit entry (ignored outside an audited request). */
export function noteAuditSubject(subject: AuditSubject): void {
  const current = subjects.getStore();
  if (current) Object.assign(current, subject);
}

/** Only these keys of a response body are copied into the subject (a body may hold a token). */
const ID_FIELDS = ['sessionId', 'tableId', 'guestId', 'staffId', 'itemId', 'orderId', 'joinRequestId'] as const;

export function idsOf(body: unknown): AuditSubject {
  if (typeof body !== 'object' || body === null) return {};
  const record = body as Record<string, unknown>;
  return Object.fromEntries(ID_FIELDS.filter((field) => typeof record[field] === 'string').map((field) => [field, record[field]]));
}

export interface AuditedRequest {
  action: string;
  principal: Principal | undefined;
  subject: AuditSubject;
  status: number;
  code: string | null;
  sourceIp: string;
  requestId: string;
  now: Date;
}

/**
 * Writes the audit entry of a finished request. A failure to write is logged, not raised: the
 * change it describes has already happened and the client must learn its outcome.
 */
export async function recordAudit(request: AuditedRequest): Promise<void> {
  const { principal, status } = request;
  // A guest acts within a session: say which, even when the path does not.
  const subject = principal?.kind === 'guest' ? { sessionId: principal.sessionId, guestId: principal.guestId, ...request.subject } : request.subject;
  const restaurantId = subject.restaurantId ?? principal?.restaurantId;
  if (!restaurantId) return; // nothing identifiable was touched (an unknown table code, a malformed request)
  const entry: AuditEntry = {
    entryId: ulid(request.now.getTime()),
    restaurantId,
    at: request.now.toISOString(),
    action: request.action,
    outcome: status < 400 ? 'success' : status === 429 ? 'blocked' : 'failure',
    status,
    code: request.code,
    actor: !principal
      ? { kind: 'anonymous', id: null, role: null }
      : principal.kind === 'staff'
        ? { kind: 'staff', id: principal.staffId, role: principal.role }
        : { kind: 'guest', id: principal.guestId, role: null },
    subject: Object.fromEntries(Object.entries(subject).filter(([key]) => key !== 'restaurantId')) as Record<string, string>,
    sourceIp: request.sourceIp,
    requestId: request.requestId,
  };
  try {
    await putAuditEntry(entry);
  } catch (error) {
    // The action stands whatever becomes of its entry (a 503 now would have it repeated); this line keeps the entry.
    logger.error('audit entry not written', { error: error as Error, auditEntry: entry });
  }
}

export type AuditQueryInput = z.infer<typeof AuditQuery>;

/** A restaurant's audit log, newest first, a page at a time behind an opaque cursor. */
export async function listAudit(actor: StaffPrincipal, query: AuditQueryInput) {
  // A cursor is only valid inside the restaurant it came from.
  const startAfter = query.cursor
    ? decodeCursor(query.cursor, TableKey, (key) => key.pk === keyPrefixes.auditPk(actor.restaurantId))
    : undefined;
  if (query.from && query.to && query.from > query.to) throw new ValidationError([{ path: 'query.from', message: 'Must not be after `to`.' }]);
  const page = await queryAudit(actor.restaurantId, {
    from: query.from ?? '0000',
    to: query.to ?? '9999',
    limit: query.limit,
    startAfter,
  });
  return {
    entries: page.entries,
    nextCursor: page.next ? encodeCursor(page.next) : null,
  };
}
