import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { storedSplit, SynthesizedSplit } from '../core';
import { cdkFindings, checkSnapshotBucket, claimBucket } from './checks';
import { lifecycleRules } from './lifecycle-rules';
import { denyOutsideEndpoint } from './vpc-endpoint-access';

/** How snapshot objects are encrypted at rest. */
export type SnapshotBucketEncryption = 's3-managed' | 'kms';

/** Props of the snapshot bucket. */
export interface SpiceSnapshotBucketProps {
  /** The synthesized split (`synthesizeSplit`): it names the bucket, its region and its retention. */
  readonly synthesized: SynthesizedSplit;
  /**
   * Encryption at rest.
   *
   * @default 's3-managed'
   */
  readonly encryption?: SnapshotBucketEncryption;
  /**
   * Key for `kms` encryption.
   *
   * @default - a new key with rotation, when encryption is 'kms'
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Keep object versions. Snapshots are immutable files with unique names, so versions only
   * protect `metadata.json` and cost storage; noncurrent versions expire after a day.
   *
   * @default false
   */
  readonly versioned?: boolean;
  /**
   * Bucket for server access logs.
   *
   * @default - no access logs (acknowledged: the bucket holds derived, re-creatable data)
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /**
   * Deny data access that does not come through this VPC endpoint (except `exemptPrincipalArns`).
   *
   * @default - no restriction
   */
  readonly restrictToVpcEndpoint?: ec2.IVpcEndpoint;
  /**
   * Principals (deploy and break-glass roles) that may reach the data from outside the endpoint.
   * `*` wildcards allowed (e.g. `arn:aws:iam::111122223333:role/cdk-*`).
   *
   * @default - none
   */
  readonly exemptPrincipalArns?: readonly string[];
}

/** Secure defaults of the snapshot bucket; props may only add to them (encryption key, logs, versioning). */
const SNAPSHOT_BUCKET_DEFAULTS = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  // A snapshot bucket is never deleted or replaced by an upgrade.
  removalPolicy: RemovalPolicy.RETAIN,
} as const;

/**
 * The split's snapshot bucket: private, encrypted, TLS-only, retained, with the lifecycle rules of
 * the split's retention plan and, optionally, access only through a VPC endpoint. One bucket per
 * split: a bucket has a single lifecycle configuration.
 */
export class SpiceSnapshotBucket extends Construct {
  public readonly bucket: s3.Bucket;

  /** @throws SplitValidationError at construction, listing every problem of the props */
  constructor(scope: Construct, id: string, props: SpiceSnapshotBucketProps) {
    super(scope, id);
    const split = storedSplit(props.synthesized.split, 'SpiceSnapshotBucket', 'synthesized.split');
    const { retention } = props.synthesized;
    const findings = cdkFindings();
    const own = findings.under('props');
    const { encryption, encryptionKey, exemptPrincipalArns } = props;
    const bucket = { splitName: split.name, store: split.store, encryption, encryptionKey, exemptPrincipalArns };
    checkSnapshotBucket(this, bucket, { store: own.under('synthesized.split.store'), options: own, exempt: own });
    findings.throwIfProblems(split.name, this.node.path);
    claimBucket(this, split.store.bucket, split.name);
    const kmsEncryption = props.encryption === 'kms' || props.encryptionKey !== undefined;
    const versioned = props.versioned ?? false;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...SNAPSHOT_BUCKET_DEFAULTS,
      bucketName: split.store.bucket,
      encryption: kmsEncryption ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
      encryptionKey: kmsEncryption ? (props.encryptionKey ?? new kms.Key(this, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN, description: `Snapshots of the ${split.name} read/write split` })) : undefined,
      bucketKeyEnabled: kmsEncryption,
      versioned,
      lifecycleRules: lifecycleRules(retention, versioned),
      serverAccessLogsBucket: props.serverAccessLogsBucket,
    });
    if (props.restrictToVpcEndpoint) {
      this.bucket.addToResourcePolicy(denyOutsideEndpoint(this.bucket, props.restrictToVpcEndpoint, props.exemptPrincipalArns ?? []));
    }
    // The retained bucket keeps its policy too (the TLS and endpoint denies) if the stack is deleted.
    this.bucket.policy?.applyRemovalPolicy(RemovalPolicy.RETAIN);
    if (!props.serverAccessLogsBucket) {
      Validations.of(this.bucket).acknowledge({
        id: 'AwsSolutions-S1',
        reason: 'Snapshots are derived data that the writer cluster re-creates from its sources; object access is audited with CloudTrail data events where needed. Pass serverAccessLogsBucket to log.',
      });
    }
  }
}
