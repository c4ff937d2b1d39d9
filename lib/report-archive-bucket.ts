/**
 * The evidence archive: an S3 bucket that keeps every check run's report, for auditors and the
 * compliance report. Encrypted with its own KMS key, versioned, TLS only, never public, expiring
 * reports after the retention period and, optionally, locking them (compliance mode) so nobody
 * can delete or change them sooner.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ARCHIVE_PREFIX } from '../functions/check/archive/archive-key.ts';

/** Props of {@link ReportArchiveBucket}. */
export interface ReportArchiveBucketProps {
  /** How long each report is kept before it expires. */
  readonly retention: Duration;
  /**
   * Keep each report immutable for this long (S3 Object Lock, compliance mode).
   *
   * @default - no Object Lock
   */
  readonly objectLockRetention?: Duration;
}

/** How long a report overwritten by a second delivery of its run stays as an old version. */
const NONCURRENT_VERSION_EXPIRATION = Duration.days(30);

/** The bucket of archived run reports and its key. */
export class ReportArchiveBucket extends Construct {
  /** The bucket. */
  public readonly bucket: s3.Bucket;
  /** The key encrypting the bucket's objects. */
  public readonly key: kms.Key;

  public constructor(scope: Construct, id: string, props: ReportArchiveBucketProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the DocSpace backup monitor\'s archived run reports',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      // One data key per bucket instead of one KMS request per report.
      bucketKeyEnabled: true,
      versioned: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Evidence outlives the stack: deleting the stack leaves the bucket and its reports.
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'ExpireReports',
          prefix: ARCHIVE_PREFIX,
          expiration: props.retention,
          noncurrentVersionExpiration: NONCURRENT_VERSION_EXPIRATION,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        { id: 'RemoveDeleteMarkers', expiredObjectDeleteMarker: true },
      ],
      ...(props.objectLockRetention === undefined
        ? {}
        : { objectLockEnabled: true, objectLockDefaultRetention: s3.ObjectLockRetention.compliance(props.objectLockRetention) }),
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only the monitor writes here (one report per run) and reports are versioned and, optionally, locked; who read them is for CloudTrail data events, and an access-log bucket would be one more bucket to retain and expire.',
    });
  }

  /** Lets `role` add reports (nothing else: not read, not delete; versioning keeps what a rewrite replaced). */
  public grantWriteReports(role: iam.Role): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects(`${ARCHIVE_PREFIX}*`)] }));
    this.#grantKeyThroughS3(role, 'kms:GenerateDataKey');
    this.#acknowledgeReportsWildcard(role);
  }

  /** Lets `role` list and read the reports (the monthly report). */
  public grantReadReports(role: iam.Role): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${ARCHIVE_PREFIX}*`] } },
      }),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects(`${ARCHIVE_PREFIX}*`)] }));
    this.#grantKeyThroughS3(role, 'kms:Decrypt');
    this.#acknowledgeReportsWildcard(role);
  }

  /** The archive key, for `action`, only through S3 in this region: the role cannot use the key directly. */
  #grantKeyThroughS3(role: iam.Role, action: string): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [action],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }

  #acknowledgeReportsWildcard(role: iam.Role): void {
    const bucketLogicalId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/${ARCHIVE_PREFIX}*]`,
      reason: 'One object per run, named by its day and run key: the reports prefix of the monitor\'s own archive bucket is the narrowest resource that names them.',
    });
  }
}
