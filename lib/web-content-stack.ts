import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { acknowledgeManagedPolicy, acknowledgeWildcards } from './constructs/nag';
import type { StageConfig } from './stage-config';
import { WEB_APPS } from './web-apps';
import type { WebApp } from './web-apps';

export interface WebContentStackProps extends StackProps {
  config: StageConfig;
  bucket: IBucket;
  distribution: IDistribution;
  restApiUrl: string;
  webSocketUrl: string;
}

/**
 * The CDK's own bucket-deployment function (one per stack, run only while deploying): what the rules
 * ask of request-serving functions does not fit it, and its code and role are the CDK's, not ours.
 */
const DEPLOYMENT_HANDLER_ACKNOWLEDGEMENTS: Record<string, string> = {
  'AwsSolutions::AwsSolutions-L1': "The runtime of the CDK's bucket-deployment function is chosen by aws-cdk-lib and moves with its upgrades.",
  'Serverless::Serverless-LambdaLatestVersion': "The runtime of the CDK's bucket-deployment function is chosen by aws-cdk-lib and moves with its upgrades.",
  'Serverless::Serverless-LambdaDLQ': 'Invoked synchronously by CloudFormation as a custom resource: a failure fails the deployment, which is rolled back; there is nothing to redrive.',
  'Serverless::Serverless-LambdaTracing': 'A deployment-time copy job; CloudFormation and its logs record every run.',
  'cdk-validator-cfnguard::lambda_inside_vpc_check': 'Copies between S3 buckets during deployments and calls CloudFront; it reaches no private resource, so a VPC would add NAT cost and nothing else.',
};

const DEPLOYMENT_GRANTS =
  "The CDK grants its bucket-deployment function read on the CDK's asset bucket and write on this stage's web bucket (object wildcards), and CloudFront invalidations, which have no resource-level permissions.";

const WEB = fileURLToPath(new URL('../web/', import.meta.url));
const VITE = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));

/**
 * One web app, built by Vite while the CDK synthesizes (the same web/<app>/vite.config.ts as `npm
 * start`), as a CDK asset. Hashed by what was built, so a deployment uploads only when the app changed.
 */
const appBuild = (app: WebApp['name']) =>
  Source.asset(`${WEB}${app}`, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never used: the build runs here, with the project's own Node and Vite (no Docker on the build machines).
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24'),
      local: {
        tryBundle(outputDir: string) {
          execFileSync(process.execPath, [VITE, 'build', '--config', `${WEB}${app}/vite.config.ts`, '--outDir', outputDir, '--emptyOutDir'], {
            stdio: ['ignore', 'ignore', 'inherit'],
            env: { ...process.env, NODE_ENV: 'production' },
          });
          return true;
        },
      },
    },
  });

/**
 * What the stage's web distribution serves: every web app under its prefix (`WEB_APPS`) and the
 * runtime `config.json` they all read, which names this stage's REST and WebSocket URLs (known only
 * once their stacks exist, hence a stack of its own after them). Hashed assets are cached for a year;
 * each app's shell (`index.html`) and `config.json` are revalidated on every load and invalidated at
 * each deployment, so phones and screens pick a new release up at their next load. Old assets stay
 * (no pruning): a phone still running the last release can load the chunks it asks for.
 */
export class WebContentStack extends Stack {
  constructor(scope: Construct, id: string, props: WebContentStackProps) {
    super(scope, id, props);
    const { bucket, distribution } = props;
    const config = Source.jsonData('config.json', { apiUrl: props.restApiUrl, webSocketUrl: props.webSocketUrl });
    for (const { name, prefix } of WEB_APPS) {
      const app = appBuild(name);
      const id = `${name[0]?.toUpperCase()}${name.slice(1)}`;
      const keyPrefix = prefix === '/' ? undefined : prefix.slice(1);
      new BucketDeployment(this, `${id}Assets`, {
        destinationBucket: bucket,
        destinationKeyPrefix: keyPrefix,
        sources: [app],
        exclude: ['index.html'],
        prune: false,
        cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
        memoryLimit: 512,
      });
      // The root app's shell carries the config.json every app reads.
      const withConfig = prefix === '/';
      new BucketDeployment(this, `${id}Shell`, {
        destinationBucket: bucket,
        destinationKeyPrefix: keyPrefix,
        sources: withConfig ? [app, config] : [app],
        exclude: ['*'],
        include: withConfig ? ['index.html', 'config.json'] : ['index.html'],
        prune: false,
        cacheControl: [CacheControl.noCache()],
        distribution,
        distributionPaths: withConfig ? ['/index.html', '/config.json'] : [`${prefix}index.html`],
        memoryLimit: 512,
      });
    }
    for (const handler of this.node.children.filter((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'))) {
      for (const [id, reason] of Object.entries(DEPLOYMENT_HANDLER_ACKNOWLEDGEMENTS)) Validations.of(handler).acknowledge({ id, reason });
      acknowledgeManagedPolicy(handler, 'service-role/AWSLambdaBasicExecutionRole', "The CDK's bucket-deployment function logs with it; it runs only during deployments.");
      const policy = handler.node.findAll().find((child): child is CfnPolicy => child instanceof CfnPolicy);
      // Read once cross-stack references have become imports (they render so in the findings): at validation.
      this.node.addValidation({
        validate: () => {
          if (policy) acknowledgeWildcards(policy, DEPLOYMENT_GRANTS);
          return [];
        },
      });
    }
  }
}
