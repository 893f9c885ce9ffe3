import type { DynamoDBRecord } from 'aws-lambda';

/** A record to deliver, standing for the stream records it `covers` (itself, or several changes of one item). */
export interface CoalescedRecord {
  record: DynamoDBRecord;
  covers: DynamoDBRecord[];
}

/** Items whose messages carry their whole state, so the last change of a batch says everything the earlier ones did. */
const STATE_TYPES = new Set(['Cart', 'Order']);

const itemKey = (record: DynamoDBRecord) => `${record.dynamodb?.Keys?.pk?.S}|${record.dynamodb?.Keys?.sk?.S}`;
const typeOf = (record: DynamoDBRecord) => record.dynamodb?.NewImage?.type?.S;

/**
 * Folds the changes of one cart or order within a partition's records into one: a MODIFY followed by
 * later MODIFYs of the same item becomes the last of them, with the first one's old image (so what
 * changed across them is still seen, e.g. a ticket becoming READY), delivered where the last one was.
 * A phone then gets one `cart.updated` with the latest cart instead of one per tap that landed in
 * the batch, and a kitchen screen one `ticket.updated`. An INSERT is never folded (`order.placed`
 * carries what a later `order.updated` does not); nor is anything else, whose messages are events.
 */
export function coalesce(partition: DynamoDBRecord[]): CoalescedRecord[] {
  const foldable = (record: DynamoDBRecord) => record.eventName === 'MODIFY' && STATE_TYPES.has(typeOf(record) ?? '');
  const lastModify = new Map<string, number>();
  partition.forEach((record, index) => {
    if (foldable(record)) lastModify.set(itemKey(record), index);
  });
  const folded = new Map<string, DynamoDBRecord[]>();
  const result: CoalescedRecord[] = [];
  partition.forEach((record, index) => {
    if (!foldable(record)) return void result.push({ record, covers: [record] });
    const key = itemKey(record);
    const earlier = folded.get(key) ?? [];
    if (lastModify.get(key) !== index) return void folded.set(key, [...earlier, record]);
    const first = earlier[0];
    const merged: DynamoDBRecord = first ? { ...record, dynamodb: { ...record.dynamodb, OldImage: first.dynamodb?.OldImage } } : record;
    result.push({ record: merged, covers: [...earlier, record] });
  });
  return result;
}
