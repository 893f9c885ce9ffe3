import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keyPrefixes, keys } from './keys';
import { epochSeconds } from './time';
import { ENTITY } from './entities';

/** One audited action. Only ids, outcomes and addresses: never a PIN, token or password. */
export interface AuditEntry {
  entryId: string;
  restaurantId: string;
  at: string;
  action: string;
  outcome: 'success' | 'failure' | 'blocked';
  status: number;
  code: string | null;
  actor: { kind: 'staff' | 'guest' | 'anonymous'; id: string | null; role: string | null };
  subject: Record<string, string>;
  sourceIp: string;
  requestId: string;
}

/** Audit entries are kept for one year. */
const RETENTION_SECONDS = 365 * 24 * 3600;

export async function putAuditEntry(entry: AuditEntry): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.audit(entry.restaurantId, entry.at, entry.entryId),
        type: ENTITY.auditEntry,
        ...entry,
        ttl: epochSeconds(new Date(entry.at)) + RETENTION_SECONDS,
      },
    }),
  );
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Where the next page starts, or undefined after the last page. */
  next?: Record<string, unknown>;
}

/** Newest first between two instants: one Query on the restaurant's audit partition. */
export async function queryAudit(
  restaurantId: string,
  range: { from: string; to: string; limit: number; startAfter?: Record<string, unknown> },
): Promise<AuditPage> {
  const page = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keyPrefixes.auditPk(restaurantId), ':from': range.from, ':to': `${range.to}~` },
      ScanIndexForward: false,
      Limit: range.limit,
      ExclusiveStartKey: range.startAfter,
    }),
  );
  const entries = (page.Items ?? []).map(({ pk: _pk, sk: _sk, type: _type, ttl: _ttl, ...entry }) => entry as AuditEntry);
  return { entries, next: page.LastEvaluatedKey };
}
