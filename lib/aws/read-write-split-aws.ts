import { CfnOutput } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { SplitSpec, SplitValidationError, SynthesizedSplit, synthesizeSplit, ValidationProblem, WorkloadIdentity } from '../core';
import { regionProblems, SpiceSnapshotBucket, SpiceSnapshotBucketProps } from './snapshot-bucket';
import { EksTrust, SpiceWorkloadRole } from './workload-role';

/** The EKS cluster that runs both tiers. */
export interface EksClusterRef {
  /** Region of the cluster; the snapshot bucket must be in the same region. */
  readonly region: string;
  /** How pods assume their roles. */
  readonly trust: EksTrust;
}

/** Props of the AWS side of a split. */
export interface ReadWriteSplitAwsProps {
  /** The split description shared with the Kubernetes app. */
  readonly split: SplitSpec;
  /** The cluster running both tiers. */
  readonly cluster: EksClusterRef;
  /**
   * VPC of the cluster: a gateway endpoint for S3 is added to it (on all its subnets' route
   * tables), and the bucket denies data access from anywhere else. Give this or `vpcEndpointId`;
   * a VPC that already has an S3 gateway endpoint needs `vpcEndpointId` (a route table holds one
   * route to S3).
   *
   * @default - none
   */
  readonly vpc?: ec2.IVpc;
  /**
   * An existing gateway endpoint for S3 in the cluster's VPC, instead of `vpc`.
   *
   * @default - none
   */
  readonly vpcEndpointId?: string;
  /**
   * Allow data access from outside a VPC endpoint (an explicit, insecure choice).
   *
   * @default false
   */
  readonly allowAccessOutsideVpc?: boolean;
  /**
   * Deploy and break-glass roles that may reach the data from outside the endpoint.
   *
   * @default - none
   */
  readonly exemptPrincipalArns?: readonly string[];
  /**
   * Namespaces of the applications that run reader sidecars.
   *
   * @default - the split's namespace
   */
  readonly readerNamespaces?: readonly string[];
  /**
   * Bucket options: encryption, versioning, access logs.
   *
   * @default - S3-managed encryption, no versioning, no access logs
   */
  readonly bucket?: Omit<SpiceSnapshotBucketProps, 'split' | 'restrictToVpcEndpoint' | 'exemptPrincipalArns'>;
}

function networkProblems(props: ReadWriteSplitAwsProps): ValidationProblem[] {
  const given = [props.vpc, props.vpcEndpointId].filter((v) => v !== undefined).length;
  if (given > 1) return [{ path: 'vpcEndpointId', message: 'is set together with vpc', fix: 'give vpc (a new gateway endpoint) or vpcEndpointId (an existing one), not both' }];
  if (given === 0 && !props.allowAccessOutsideVpc) {
    return [{
      path: 'vpc',
      message: 'is missing: the snapshot bucket would be reachable from anywhere with credentials',
      fix: "give the cluster's vpc or an existing vpcEndpointId, or set allowAccessOutsideVpc: true to accept that",
    }];
  }
  return [];
}

/**
 * The AWS side of a split: the snapshot bucket in the cluster's region, a gateway endpoint for S3
 * with a bucket policy that denies data access from elsewhere, and the writer (read-write) and
 * reader (read-only) roles for EKS pods.
 *
 * @throws SplitValidationError at construction when the description or the props are invalid
 */
export class ReadWriteSplitAws extends Construct {
  public readonly synthesized: SynthesizedSplit;
  public readonly snapshots: SpiceSnapshotBucket;
  public readonly writer: SpiceWorkloadRole;
  public readonly reader: SpiceWorkloadRole;
  public readonly endpoint?: ec2.IVpcEndpoint;

  constructor(scope: Construct, id: string, props: ReadWriteSplitAwsProps) {
    super(scope, id);
    this.synthesized = synthesizeSplit(props.split);
    const { split } = this.synthesized;
    const problems = [...networkProblems(props), ...regionProblems(this, this.synthesized, 'store.region')];
    if (props.cluster.region !== split.store.region) {
      problems.push({ path: 'cluster.region', message: `${props.cluster.region} is not the store's region ${split.store.region}`, fix: 'keep the snapshot bucket in the region of the cluster that reads it' });
    }
    if (problems.length > 0) throw new SplitValidationError(split.name, problems);

    this.endpoint = props.vpc
      ? props.vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 })
      : props.vpcEndpointId ? ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(this, 'S3Endpoint', props.vpcEndpointId) : undefined;
    this.snapshots = new SpiceSnapshotBucket(this, 'Snapshots', {
      ...props.bucket,
      split: this.synthesized,
      restrictToVpcEndpoint: this.endpoint,
      exemptPrincipalArns: props.exemptPrincipalArns,
    });
    const bucket = this.snapshots.bucket;
    this.writer = new SpiceWorkloadRole(this, 'Writer', { split: this.synthesized, tier: 'writer', bucket, trust: props.cluster.trust, namespaces: [split.namespace] });
    this.reader = new SpiceWorkloadRole(this, 'Reader', {
      split: this.synthesized, tier: 'reader', bucket, trust: props.cluster.trust, namespaces: props.readerNamespaces ?? [split.namespace],
    });
    new CfnOutput(this, 'BucketName', { value: bucket.bucketName, description: 'Snapshot bucket' });
    new CfnOutput(this, 'WriterRoleArn', { value: this.writer.role.roleArn, description: 'Role of the writer cluster and the archiver' });
    new CfnOutput(this, 'ReaderRoleArn', { value: this.reader.role.roleArn, description: 'Role of the reader sidecars' });
  }

  /** Identities for the Kubernetes ServiceAccounts (role ARNs are tokens here: use them in CDK, not in cdk8s). */
  public get identities(): { readonly writer: WorkloadIdentity; readonly reader: WorkloadIdentity } {
    return { writer: this.writer.identity, reader: this.reader.identity };
  }
}
