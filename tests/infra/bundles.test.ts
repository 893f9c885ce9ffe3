import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunctions } from '../../lib/local/function-bundles';
import type { FunctionBundles } from '../../lib/local/function-bundles';
import { deliveryFunction, streamConsumer } from '../../shared/http/routes';

/**
 * What a function loads at init is what its bundle imports statically; the AWS SDK stays outside the
 * bundles (Lambda's runtime provides it), so each client a bundle names is loaded at every cold start.
 */
describe('what the real-time functions load at init (bundled as the CDK bundles them)', () => {
  let bundles: FunctionBundles;
  const source = async (entry: string) => readFile(bundles.of(entry), 'utf8');
  const sdkLoadedAtInit = (code: string) => [...new Set([...code.matchAll(/from"(@aws-sdk\/[^"]+)"/g)].map((match) => match[1]))].sort();

  beforeAll(async () => {
    bundles = await bundleFunctions([deliveryFunction.entry, streamConsumer.entry]);
  });
  afterAll(() => bundles?.remove());

  it('the delivery function loads the @connections client alone: no DynamoDB client (it has no table), no Lambda client', async () => {
    expect(sdkLoadedAtInit(await source(deliveryFunction.entry))).toEqual(['@aws-sdk/client-apigatewaymanagementapi']);
  });

  it('the fan-out loads the Lambda client only when it first spreads a big channel over delivery invocations', async () => {
    const code = await source(streamConsumer.entry);
    expect(sdkLoadedAtInit(code)).not.toContain('@aws-sdk/client-lambda');
    expect(sdkLoadedAtInit(code)).toEqual(expect.arrayContaining(['@aws-sdk/client-apigatewaymanagementapi', '@aws-sdk/client-dynamodb']));
    expect(code).toContain('import("@aws-sdk/client-lambda")');
  });
});
