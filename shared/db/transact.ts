import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { db } from './client';

/**
 * The name of an item in a transaction, given where the item is built: a cancellation is read by
 * these names, never by position. `menuItem:<itemId>` names one dish's condition.
 */
export type ConditionName =
  | 'table'
  | 'heldTable'
  | 'toTable'
  | 'tableCode'
  | 'oldTableCode'
  | 'session'
  | 'sessionLive'
  | 'pinGuard'
  | 'joinRequest'
  | 'guest'
  | 'restaurant'
  | 'token'
  | 'staffTokenRef'
  | 'guestTokenRef'
  | 'rejoinCode'
  | 'staff'
  | 'credential'
  | 'order'
  | `order:${string}`
  | 'orderRef'
  | 'serviceRequest'
  | 'openServiceRequest'
  | 'newCart'
  | 'cart'
  | `menuItem:${string}`;

type SdkTransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** One write or condition of a TransactWriteItems, with its name. */
export interface TransactItem {
  readonly name: ConditionName;
  readonly write: SdkTransactItem;
}

export const named = (name: ConditionName, write: SdkTransactItem): TransactItem => ({ name, write });

/**
 * A cancelled transaction, read by name: `failed('cart')` says whether the cart's condition did
 * not hold. A reason that is no condition failure (a conflict that outlasted the retries, a
 * throttle, a validation error) is `unexplained`, so it is never taken for a known condition.
 */
export class TransactionCancelledError extends Error {
  constructor(readonly reasons: ReadonlyMap<ConditionName, string>) {
    super(`transaction cancelled: ${[...reasons].map(([name, code]) => `${name}=${code}`).join(', ')}`);
  }

  failed(name: ConditionName): boolean {
    return this.reasons.get(name) === 'ConditionalCheckFailed';
  }

  /** The names whose condition did not hold. */
  get failedConditions(): ConditionName[] {
    return [...this.reasons].filter(([, code]) => code === 'ConditionalCheckFailed').map(([name]) => name);
  }

  /** Some item was cancelled for a reason other than its condition. */
  get unexplained(): boolean {
    return [...this.reasons.values()].some((code) => code !== 'None' && code !== 'ConditionalCheckFailed');
  }
}

const MAX_CONFLICT_RETRIES = 3;

/**
 * TransactWriteItems. Conflicts with another in-flight transaction are retried (they say nothing
 * about our conditions); a cancellation becomes a TransactionCancelledError for the domain to read
 * by name. Names must be unique within a transaction. A transaction DynamoDB applied but whose answer
 * was lost does not fail its own conditions when the SDK sends it again: the SDK gives each call a
 * ClientRequestToken and keeps it across its retries, and DynamoDB (Local too) answers a repeated
 * token with success.
 */
export async function transactWrite(items: TransactItem[]): Promise<void> {
  const names = items.map((item) => item.name);
  if (new Set(names).size !== names.length) throw new Error(`transaction items need distinct names: ${names.join(', ')}`);
  for (let attempt = 0; ; attempt++) {
    try {
      await db().send(new TransactWriteCommand({ TransactItems: items.map((item) => item.write) }));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const codes = names.map((_, i) => error.CancellationReasons?.[i]?.Code ?? 'None');
      if (codes.includes('TransactionConflict') && attempt < MAX_CONFLICT_RETRIES) {
        await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
        continue;
      }
      throw new TransactionCancelledError(new Map(names.map((name, i) => [name, codes[i] as string])));
    }
  }
}
