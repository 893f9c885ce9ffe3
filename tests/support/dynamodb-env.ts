import { inject } from 'vitest';
import { useLocalEnvironment } from '../../lib/local/runtime';

// The environment each integration test file's shared/ code reads on first use.
useLocalEnvironment(inject('dynamoDbEndpoint'), inject('tableName'), { POWERTOOLS_LOG_LEVEL: 'SILENT' });
