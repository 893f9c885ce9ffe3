import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
// cdk-nag names a finding by this rendering of the policy's value; it is not re-exported from the package root.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';

/**
 * Acknowledges one finding of a rule that names the policy or resource it found (`rule` as
 * `AwsSolutions::AwsSolutions-IAM5`), built from the very value that was granted. The rendering depends on the stack's environment (an
 * env-agnostic stack says `<AWS::Region>`, one bound by the CLI says `eu-central-1`), so writing it
 * by hand breaks `cdk deploy` while env-agnostic tests still pass.
 */
export function acknowledgeFinding(scope: IConstruct, rule: string, kind: 'Policy' | 'Resource', value: string, reason: string) {
  const rendered = flattenCfnReference(Stack.of(scope).resolve(value));
  Validations.of(scope).acknowledge({ id: `${rule}[${kind}::${rendered}]`, reason });
}

/** Control Tower's CT.LAMBDA.PR.2 reads only a literal or local `SourceArn`; the CDK builds it with `Fn::Join` from the API's id. */
export const INVOKED_ONLY_BY_ITS_API =
  "Each permission lets only apigateway.amazonaws.com invoke, with a SourceArn scoped to this API's own ARN; the rule misreads a SourceArn built with Fn::Join.";
