import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { db } from './client';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * A transaction whose conditions did not hold. `reasons[i]` is the cancellation code of the i-th
 * item (`ConditionalCheckFailed`, `None`, …), so the domain can say which condition failed.
 */
export class TransactionCancelledError extends Error {
  constructor(readonly reasons: string[]) {
    super(`transaction cancelled: ${reasons.join(', ')}`);
  }

  failed(index: number): boolean {
    return this.reasons[index] === 'ConditionalCheckFailed';
  }
}

const MAX_CONFLICT_RETRIES = 3;

/**
 * TransactWriteItems. Conflicts with another in-flight transaction are retried (they say nothing
 * about our conditions); condition failures become a TransactionCancelledError for the domain to map.
 */
export async function transactWrite(items: TransactItem[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await db().send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
      if (reasons.includes('TransactionConflict') && attempt < MAX_CONFLICT_RETRIES) {
        await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
        continue;
      }
      throw new TransactionCancelledError(reasons);
    }
  }
}
