import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { env } from '../config/env';
import { dynamoDbUsage } from '../observability/dynamodb-usage';

/** One client per container (the document client wraps it); the endpoint points at DynamoDB Local when set. */
export const dynamoClient = new DynamoDBClient(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {});
dynamoClient.middlewareStack.use(dynamoDbUsage);

export const db = DynamoDBDocumentClient.from(dynamoClient, { marshallOptions: { removeUndefinedValues: true } });

export const tableName = env.TABLE_NAME;
