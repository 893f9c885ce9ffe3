import { inject } from 'vitest';
import { spawnRuntime } from '../../../lib/local/runtime-process';
import type { RuntimeProcess } from '../../../lib/local/runtime-process';
import { TEST_PASSWORD_COST } from '../../support/password-cost';

export type RunningRuntime = RuntimeProcess;

/** Starts the local runtime (what `npm start` runs) against the test harness's DynamoDB Local; `args` are more `npm start` options. */
export function startRuntime(overrides: Record<string, string> = {}, args: string[] = []): Promise<RunningRuntime> {
  return spawnRuntime({ dynamoDbEndpoint: inject('dynamoDbEndpoint'), tableName: inject('tableName'), overrides: { ...TEST_PASSWORD_COST, ...overrides }, args });
}
