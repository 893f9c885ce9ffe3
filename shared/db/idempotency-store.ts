import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { dynamoClient, tableName } from './client';
import { keys } from './keys';

/**
 * Powertools' DynamoDB persistence layer in the single table, each record in a partition of its own
 * (keys.idempotencyRecord). Powertools' own composite-key mode puts every record under one static
 * partition key, which every restaurant's placements would share.
 */
class SpreadIdempotencyStore extends DynamoDBPersistenceLayer {
  protected override getKey(idempotencyKey: string): Record<string, AttributeValue> {
    return marshall(keys.idempotencyRecord(idempotencyKey));
  }
}

/** The store of a function's idempotency records; records expire (TTL) with the `ttl` attribute. */
export const idempotencyStore = () =>
  new SpreadIdempotencyStore({ tableName: tableName(), keyAttr: 'pk', sortKeyAttr: 'sk', expiryAttr: 'ttl', awsSdkV3Client: dynamoClient() });
