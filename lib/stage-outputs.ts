import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { stackNames } from './stage-config';
import type { StageName } from './stage-config';

/** What the tools need of a deployed stage, from its stacks' outputs. */
export interface StageOutputs {
  tableName: string;
  webUrl: string;
  restApiUrl: string;
  webSocketUrl: string;
}

/** Reads a deployed stage's outputs with the caller's AWS credentials; names the stack that is missing one. */
export async function stageOutputs(stage: StageName): Promise<StageOutputs> {
  const cloudFormation = new CloudFormationClient({});
  const names = stackNames(stage);
  const output = async (stack: string, key: string): Promise<string> => {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stack }));
    const value = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === key)?.OutputValue;
    if (!value) throw new Error(`Stack ${stack} has no ${key} output. Is the stage deployed (npm run cdk -- deploy --all -c stage=${stage})?`);
    return value;
  };
  const [tableName, webUrl, restApiUrl, webSocketUrl] = await Promise.all([
    output(names.data, 'TableName'),
    output(names.web, 'WebUrl'),
    output(names.api, 'RestApiUrl'),
    output(names.realtime, 'WebSocketUrl'),
  ]);
  return { tableName, webUrl, restApiUrl, webSocketUrl };
}
