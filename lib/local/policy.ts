import type { APIGatewayAuthorizerResult } from 'aws-lambda';

/** Does an IAM-style resource pattern (with `*` and `?`) match the method ARN? */
function resourceMatches(pattern: string, arn: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(arn);
}

/** Evaluates an authorizer's policy the way API Gateway does: an explicit Deny wins, else an Allow is needed. */
export function isAllowed(result: APIGatewayAuthorizerResult, methodArn: string): boolean {
  const matching = result.policyDocument.Statement.filter((statement) => {
    const resources = 'Resource' in statement ? [statement.Resource].flat() : [];
    return resources.some((resource) => resourceMatches(String(resource), methodArn));
  });
  return !matching.some((s) => s.Effect === 'Deny') && matching.some((s) => s.Effect === 'Allow');
}
