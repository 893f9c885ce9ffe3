import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { env } from '../config/env';
import { dynamoDbUsage } from '../observability/dynamodb-usage';

/**
 * How the SDK absorbs DynamoDB's bad moments before a request gives up with 503: three attempts with
 * its standard jittered backoff (throttles back off longer), and no call waiting past 2 s for an answer
 * or 1 s for a connection, so three attempts and their backoff fit well inside a function's 10 s.
 * Without `throwOnRequestTimeout` the SDK only logs a warning when the 2 s pass and keeps waiting,
 * so a call DynamoDB never answers would hold the function until it times out.
 */
export const DYNAMODB_RETRIES = { maxAttempts: 3, requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true } } as const;

let clients: { dynamo: DynamoDBClient; document: DynamoDBDocumentClient } | undefined;

function build() {
  const { DYNAMODB_ENDPOINT, MEASURE_CONSUMED_CAPACITY } = env();
  const dynamo = new DynamoDBClient({ ...(DYNAMODB_ENDPOINT ? { endpoint: DYNAMODB_ENDPOINT } : {}), ...DYNAMODB_RETRIES });
  dynamo.middlewareStack.use(dynamoDbUsage({ askForCapacity: MEASURE_CONSUMED_CAPACITY }));
  return { dynamo, document: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }) };
}

/** The one DynamoDB client of the container, built on first use; the endpoint points at DynamoDB Local when set. */
export const dynamoClient = (): DynamoDBClient => (clients ??= build()).dynamo;

/** The document client over {@link dynamoClient}. */
export const db = (): DynamoDBDocumentClient => (clients ??= build()).document;

/** The single table's name. */
export const tableName = (): string => env().TABLE_NAME;
