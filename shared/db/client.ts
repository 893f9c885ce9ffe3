import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { env } from '../config/env';
import { dynamoDbUsage } from '../observability/dynamodb-usage';

let clients: { dynamo: DynamoDBClient; document: DynamoDBDocumentClient } | undefined;

function build() {
  const { DYNAMODB_ENDPOINT, MEASURE_CONSUMED_CAPACITY } = env();
  const dynamo = new DynamoDBClient(DYNAMODB_ENDPOINT ? { endpoint: DYNAMODB_ENDPOINT } : {});
  dynamo.middlewareStack.use(dynamoDbUsage({ askForCapacity: MEASURE_CONSUMED_CAPACITY }));
  return { dynamo, document: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }) };
}

/** The one DynamoDB client of the container, built on first use; the endpoint points at DynamoDB Local when set. */
export const dynamoClient = (): DynamoDBClient => (clients ??= build()).dynamo;

/** The document client over {@link dynamoClient}. */
export const db = (): DynamoDBDocumentClient => (clients ??= build()).document;

/** The single table's name. */
export const tableName = (): string => env().TABLE_NAME;
