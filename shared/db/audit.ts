import * as z from 'zod';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keyPrefixes, keys } from './keys';
import { epochSeconds } from './time';
import { queryPage } from './query';
import { ENTITY } from './entities';

/** One audited action. Only ids, outcomes and addresses: never a PIN, token or password. */
const AuditEntryItem = z.object({
  entryId: z.string(),
  restaurantId: z.string(),
  at: z.string(),
  action: z.string(),
  outcome: z.enum(['success', 'failure', 'blocked']),
  status: z.number(),
  code: z.string().nullable(),
  actor: z.object({ kind: z.enum(['staff', 'guest', 'anonymous']), id: z.string().nullable(), role: z.string().nullable() }),
  subject: z.record(z.string(), z.string()),
  sourceIp: z.string(),
  requestId: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntryItem>;

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
  const page = await queryPage({
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': keyPrefixes.auditPk(restaurantId), ':from': range.from, ':to': `${range.to}~` },
    ScanIndexForward: false,
    Limit: range.limit,
    ExclusiveStartKey: range.startAfter,
  });
  const entries = (page.Items ?? []).map((item) => AuditEntryItem.parse(item));
  return { entries, next: page.LastEvaluatedKey };
}
