import { inject } from 'vitest';
import { useLocalEnvironment } from '../../lib/local/runtime';

// Runs before each integration test file imports shared/, which reads this environment on load.
useLocalEnvironment(inject('dynamoDbEndpoint'), inject('tableName'), { POWERTOOLS_LOG_LEVEL: 'SILENT' });
