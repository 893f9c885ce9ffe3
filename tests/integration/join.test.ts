import { describe, expect, it } from 'vitest';
import { measureDynamoDb } from '../../shared/observability/dynamodb-usage';
import type { DynamoDbUsage } from '../../shared/observability/dynamodb-usage';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../shared/db/client';
import { keys } from '../../shared/db/keys';
import { listGuests } from '../../shared/db/sessions';
import { joinSession } from '../../shared/sessions/join';
import { diningTable } from '../support/dining';

/** A join's DynamoDB round trips, counted at the SDK client, and its outcome (the error it threw, if it did). */
async function measuredJoin(input: Parameters<typeof joinSession>[0], sourceIp: string) {
  let usage: DynamoDbUsage | undefined;
  const outcome = await measureDynamoDb(() => joinSession(input, sourceIp, new Date()), (measured) => (usage = measured)).catch((error: unknown) => error);
  return { outcome, calls: (usage as DynamoDbUsage).calls.map((call) => call.operation) };
}

/** The session's PIN guard counters as stored. */
const guard = async (sessionId: string) =>
  (await db().send(new GetCommand({ TableName: tableName(), Key: keys.pinGuard(sessionId), ConsistentRead: true }))).Item ?? {};

describe('joining a session (DynamoDB Local)', () => {
  it('admits a guest in six round trips: three batched reads, the guard slot, then the admission beside the slot given back', async () => {
    for (const mode of ['FAMILY', 'INDIVIDUAL'] as const) {
      const { table, session } = await diningTable(mode);
      const { outcome, calls } = await measuredJoin({ tableCode: table.tableCode, pin: session.pin, guestName: 'Ada' }, '198.51.100.7');

      expect(outcome).toMatchObject({ status: 201 });
      expect(calls.slice(0, 4)).toEqual(['BatchGetItem', 'BatchGetItem', 'BatchGetItem', 'UpdateItem']);
      expect(calls.slice(4).sort()).toEqual(['TransactWriteItems', 'UpdateItem']);
      expect(calls.length).toBeLessThanOrEqual(7);
      expect((await listGuests(session.sessionId)).map((guest) => guest.name)).toEqual(['Ada']);
      // The right PIN's slot is back: nothing stays reserved.
      expect((await guard(session.sessionId)).reserved).toBe(0);
    }
  });

  it('refuses an unknown code after one round trip, and a wrong PIN after the same reads, counting it', async () => {
    const { table, session } = await diningTable();
    const unknown = await measuredJoin({ tableCode: 'ZZZZZZZZZZZZZZZZ', pin: session.pin }, '198.51.100.8');
    expect(unknown.outcome).toMatchObject({ status: 404 });
    // The read, then the failure counted against the source's window.
    expect(unknown.calls).toEqual(['BatchGetItem', 'UpdateItem']);

    const wrongPin = session.pin === '0000' ? '1111' : '0000';
    const wrong = await measuredJoin({ tableCode: table.tableCode, pin: wrongPin }, '198.51.100.9');
    expect(wrong.outcome).toMatchObject({ status: 401, code: 'INVALID_PIN' });
    expect(wrong.calls.slice(0, 3)).toEqual(['BatchGetItem', 'BatchGetItem', 'BatchGetItem']);
    expect((await guard(session.sessionId)).failures).toBe(1);
  });
});
