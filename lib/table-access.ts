import type { FunctionSpec } from '../shared/http/routes';

/**
 * The DynamoDB actions each table grant of the manifest allows: what the stacks put in a function's
 * role, and what the local runtime enforces. No Scan, no table management.
 */
export const READ_ACTIONS = ['GetItem', 'BatchGetItem', 'Query', 'ConditionCheckItem'] as const;
export const WRITE_ACTIONS = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'] as const;

export function tableActions(access: FunctionSpec['table']): readonly string[] {
  if (access === 'none') return [];
  return access === 'read' ? READ_ACTIONS : [...READ_ACTIONS, ...WRITE_ACTIONS];
}
