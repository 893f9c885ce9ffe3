import { useLocalEnvironment } from '../../lib/local/runtime';

// Unit tests touch no database; shared/ still validates its environment when it loads.
useLocalEnvironment('http://127.0.0.1:9', 'unit-tests-use-no-table', { POWERTOOLS_LOG_LEVEL: 'SILENT' });
