import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { localClient } from '../../lib/local/dynamodb-local';

export interface ProbeSample {
  /** performance.now() when the probe started. */
  at: number;
  ms: number;
}

/**
 * DynamoDB Local's own pace while the load runs: every second, one PutItem, one consistent GetItem
 * and one Query of an item of the probe's own, straight to DynamoDB Local (no runtime, no IAM proxy).
 * In a soak, its first and last minutes tell DynamoDB Local slowing down apart from the runtime.
 */
export function startDynamoDbProbe(endpoint: string, tableName: string): { samples: ProbeSample[]; stop(): void } {
  const db = DynamoDBDocumentClient.from(localClient(endpoint));
  const key = { pk: `PROBE#${randomUUID()}`, sk: 'PROBE' };
  const samples: ProbeSample[] = [];
  let busy = false;
  const probe = async () => {
    if (busy) return;
    busy = true;
    const at = performance.now();
    try {
      await db.send(new PutCommand({ TableName: tableName, Item: { ...key, at } }));
      await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
      await db.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': key.pk } }));
      samples.push({ at, ms: performance.now() - at });
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void probe().catch(() => undefined), 1000);
  return {
    samples,
    stop: () => {
      clearInterval(timer);
      db.destroy();
    },
  };
}
