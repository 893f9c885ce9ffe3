import { Stack, Validations } from 'aws-cdk-lib';
import { ManagedPolicy } from 'aws-cdk-lib/aws-iam';
import type { CfnPolicy } from 'aws-cdk-lib/aws-iam';
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

/**
 * Acknowledges cdk-nag's IAM5 for every wildcard action and resource of a policy the CDK writes
 * itself (a construct's own role), reading them from the policy's document as it will render.
 */
export function acknowledgeWildcards(policy: CfnPolicy, reason: string) {
  const document = Stack.of(policy).resolve(policy.policyDocument) as { Statement: { Action: string | string[]; Resource: unknown }[] };
  const list = <T>(value: T | T[]) => (Array.isArray(value) ? value : [value]);
  for (const statement of document.Statement) {
    for (const action of list(statement.Action).filter((name) => name.includes('*'))) {
      Validations.of(policy).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[Action::${action}]`, reason });
    }
    for (const resource of list(statement.Resource).map((value) => flattenCfnReference(value)).filter((name) => name.includes('*'))) {
      Validations.of(policy).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${resource}]`, reason });
    }
  }
}

/** Acknowledges cdk-nag's IAM4 for one AWS managed policy (`service-role/…`), however its ARN renders. */
export function acknowledgeManagedPolicy(scope: IConstruct, policyName: string, reason: string) {
  const arn = ManagedPolicy.fromAwsManagedPolicyName(policyName).managedPolicyArn;
  acknowledgeFinding(scope, 'AwsSolutions::AwsSolutions-IAM4', 'Policy', arn, reason);
}

/**
 * Why X-Ray is off. Traces without subsegments show little that the logs do not; the Powertools
 * Tracer that would add them (DynamoDB calls captured) carries the X-Ray SDK, about 128 KB minified in
 * every bundle, past the 250 KB bundle budget and onto every cold start. Instead, every log line carries
 * API Gateway's request id (authorizer and handler alike) and each placement logs its DynamoDB round
 * trips by name with the capacity they consumed.
 */
export const TRACING_OFF =
  "X-Ray is off by design: the Tracer's SDK would add ~128 KB to every bundle and cold start; logs carry the request id across authorizer and handler, and placements log their DynamoDB round trips.";

/** Control Tower's CT.LAMBDA.PR.2 reads only a literal or local `SourceArn`; the CDK builds it with `Fn::Join` from the API's id. */
export const INVOKED_ONLY_BY_ITS_API =
  "Each permission lets only apigateway.amazonaws.com invoke, with a SourceArn scoped to this API's own ARN; the rule misreads a SourceArn built with Fn::Join.";
