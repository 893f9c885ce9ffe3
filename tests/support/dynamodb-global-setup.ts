import type { TestProject } from 'vitest/node';
import { ensureTable, startDynamoDbLocal } from '../../lib/local/dynamodb-local';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDbEndpoint: string;
    tableName: string;
  }
}

/** One in-memory DynamoDB Local per test project, on a free port, with the table from the shared definition. */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDbLocal();
  const tableName = 'qr-ordering-test';
  await ensureTable(dynamo.endpoint, tableName);
  project.provide('dynamoDbEndpoint', dynamo.endpoint);
  project.provide('tableName', tableName);
  return () => dynamo.stop();
}
