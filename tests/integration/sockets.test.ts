import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { GuestPrincipal } from '../../shared/auth/principal';
import { db, tableName } from '../../shared/db/client';
import { connectionsOfToken, getConnection } from '../../shared/db/connections';
import { keys } from '../../shared/db/keys';
import { deleteAllGuestTokens, putToken } from '../../shared/db/tokens';
import { transactWrite } from '../../shared/db/transact';
import { connect } from '../../shared/realtime/sockets';

describe('opening a socket (DynamoDB Local)', () => {
  it('refuses a socket whose token was revoked after the authorizer read it, leaving nothing of it behind', async () => {
    const now = new Date();
    const principal: GuestPrincipal = {
      kind: 'guest',
      restaurantId: 'R1',
      sessionId: `S${randomUUID()}`,
      guestId: 'G1',
      mode: 'FAMILY',
      tableId: 'T1',
      tokenHash: `hash-${randomUUID()}`,
      expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
    };
    const { restaurantId, sessionId, guestId, expiresAt } = principal;
    await transactWrite(putToken(principal.tokenHash, { kind: 'guest', restaurantId, sessionId, guestId, expiresAt }));
    await connect(principal, 'before', now);

    // Removed while the next socket's handshake was between the authorizer and $connect.
    await deleteAllGuestTokens(sessionId, guestId);
    await expect(connect(principal, 'after', now)).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });

    expect(await getConnection('before')).toBeDefined(); // closed by the revocation's stream record, not here
    expect(await getConnection('after')).toBeUndefined();
    expect(await connectionsOfToken(principal.tokenHash)).toEqual(['before']);
    const slot = await db().send(new GetCommand({ TableName: tableName(), Key: keys.socketSlot(principal.tokenHash, 1), ConsistentRead: true }));
    expect(slot.Item).toBeUndefined();
  });
});
