import { useLocalEnvironment } from '../../lib/local/runtime';

// Unit tests touch no database; the shared/ code they run still reads a valid environment on first use.
useLocalEnvironment('http://127.0.0.1:9', 'unit-tests-use-no-table', { POWERTOOLS_LOG_LEVEL: 'SILENT' });
