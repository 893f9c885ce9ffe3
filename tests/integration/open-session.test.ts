import { describe, expect, it } from 'vitest';
import { getTable } from '../../shared/db/tables';
import { openSession } from '../../shared/sessions/sessions';
import { createTable } from '../../shared/tables/tables';
import { diningTable } from '../support/dining';

describe('opening a session (DynamoDB Local)', () => {
  it('opens one session when two waiters open a table at once, and tells the other which one', async () => {
    const { owner } = await diningTable();
    const table = await createTable(owner, { name: 'Table 9' }, new Date());
    // Both read the table free before either writes: the loser learns of the winner's session from the table as it is now.
    const outcomes = await Promise.allSettled([
      openSession(owner, table.tableId, { mode: 'FAMILY' }, new Date()),
      openSession(owner, table.tableId, { mode: 'INDIVIDUAL' }, new Date()),
    ]);
    const opened = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    expect(opened).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const winner = opened[0]?.sessionId;
    expect(refused[0]).toMatchObject({ status: 409, code: 'SESSION_ALREADY_OPEN', details: { openSessionId: winner } });
    expect((await getTable(owner.restaurantId, table.tableId))?.openSessionId).toBe(winner);
  });
});
