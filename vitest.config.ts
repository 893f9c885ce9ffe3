import { defineConfig } from 'vitest/config';

const dynamoDbLocal = ['tests/support/dynamodb-global-setup.ts'];

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], setupFiles: ['tests/support/unit-env.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: dynamoDbLocal,
          setupFiles: ['tests/support/dynamodb-env.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'fidelity',
          include: ['tests/fidelity/**/*.test.ts'],
          globalSetup: dynamoDbLocal,
          setupFiles: ['tests/support/dynamodb-env.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'infra', include: ['tests/infra/**/*.test.ts'], testTimeout: 120_000 } },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: dynamoDbLocal,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: [...dynamoDbLocal, 'tests/support/web-apps-global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
