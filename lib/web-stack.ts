import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { StageConfig } from './stage-config';
import { HSTS_SECONDS, SPA_ROUTING_FUNCTION, contentSecurityPolicy } from './web-security-headers';

export interface WebStackProps extends StackProps {
  config: StageConfig;
}

/** Rules that ask for more than a bucket of public, immutable web assets needs, and why. */
const BUCKET_ACKNOWLEDGEMENTS: Record<string, string> = {
  'AwsSolutions::AwsSolutions-S1':
    'The bucket holds only the built web apps, readable through CloudFront alone; server access logs would record nothing of value.',
  'cdk-validator-cfnguard::s3_bucket_logging_enabled_check':
    'The bucket holds only the built web apps, readable through CloudFront alone; server access logs would record nothing of value.',
  'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check':
    'Encrypted with S3-managed keys; the objects are public web pages, so a customer key would protect nothing.',
  'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check': 'Deployments must overwrite and delete old assets; object lock would forbid exactly that.',
  'cdk-validator-cfnguard::s3_event_notifications_enabled_check': 'Nothing reacts to a deployment writing assets; there is no consumer for notifications.',
};

const CUSTOM_DOMAIN_ONLY =
  'The default *.cloudfront.net certificate (TLS 1.0+ by CloudFront, SNI not applicable) until a custom domain is configured with -c webDomainName and -c webCertificateArn; then SNI and TLS 1.2 (2021) apply.';

const DISTRIBUTION_ACKNOWLEDGEMENTS: Record<string, string> = {
  'AwsSolutions::AwsSolutions-CFR1': 'Guests travel: a restaurant cannot know where its customers come from, so no geo restriction.',
  'AwsSolutions::AwsSolutions-CFR2':
    'Static, public pages with no secrets and no write path; the API they call has its own AWS WAF ACL in staging and prod.',
  'AwsSolutions::AwsSolutions-CFR3': 'Static assets only; the API Gateway access logs record every request that matters.',
  'cdk-validator-cfnguard::cloudfront_access_logs_enabled_check': 'Static assets only; the API Gateway access logs record every request that matters.',
  'cdk-validator-cfnguard::cloudfront_origin_failover_enabled_check': 'One origin, the stage bucket; S3 is itself redundant across zones.',
};
const DEFAULT_CERTIFICATE_RULES = [
  'AwsSolutions::AwsSolutions-CFR4',
  'cdk-validator-cfnguard::cloudfront_custom_ssl_certificate_check',
  'cdk-validator-cfnguard::cloudfront_sni_enabled_check',
  'cdk-validator-cfnguard::cloudfront_security_policy_check',
];

/**
 * Where the browser apps live: a private bucket behind a CloudFront distribution (origin access
 * control, HTTPS only). Unless the stage names another guest ordering URL, the distribution's
 * `/t` is where every table's QR code points.
 */
export class WebStack extends Stack {
  /** `https://<distribution or custom domain>`, no trailing slash. */
  readonly url: string;
  readonly bucket: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    const { config } = props;

    const bucket = new Bucket(this, 'Assets', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Versions let a bad deployment of the apps be rolled back by hand; old ones go after 30 days.
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      // Built assets, not data: nothing here is lost with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    for (const [id, reason] of Object.entries(BUCKET_ACKNOWLEDGEMENTS)) Validations.of(bucket).acknowledge({ id, reason });

    // The apps call the stage's REST and WebSocket APIs, which live in stacks built after this one: any of this region's.
    const apiOrigins = [`https://*.execute-api.${this.region}.amazonaws.com`, `wss://*.execute-api.${this.region}.amazonaws.com`];
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `QR ordering web apps (${config.stage}): security headers`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(apiOrigins), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.seconds(HSTS_SECONDS), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });
    const spaRouting = new CloudFrontFunction(this, 'SpaRouting', {
      comment: 'Pages of the apps (paths without a file extension) are answered by the app shell.',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(SPA_ROUTING_FUNCTION),
    });

    const domain = config.webDomain;
    const distribution = new Distribution(this, 'Distribution', {
      comment: `QR ordering web apps (${config.stage})`,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: spaRouting, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      // The default *.cloudfront.net certificate's policy is fixed by CloudFront; a custom domain gets TLS 1.2 (2021) at least.
      ...(domain
        ? {
            domainNames: [domain.name],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    for (const [id, reason] of Object.entries(DISTRIBUTION_ACKNOWLEDGEMENTS)) Validations.of(distribution).acknowledge({ id, reason });
    if (!domain) for (const id of DEFAULT_CERTIFICATE_RULES) Validations.of(distribution).acknowledge({ id, reason: CUSTOM_DOMAIN_ONLY });

    this.bucket = bucket;
    this.distribution = distribution;
    this.url = `https://${domain ? domain.name : distribution.distributionDomainName}`;
    new CfnOutput(this, 'WebUrl', { value: this.url });
    new CfnOutput(this, 'AssetsBucket', { value: bucket.bucketName });
  }
}
