import { inject } from 'vitest';
import { useLocalEnvironment } from '../../lib/local/runtime';
import { TEST_PASSWORD_COST } from './password-cost';

// The environment each integration test file's shared/ code reads on first use.
useLocalEnvironment(inject('dynamoDbEndpoint'), inject('tableName'), { POWERTOOLS_LOG_LEVEL: 'SILENT', ...TEST_PASSWORD_COST });
