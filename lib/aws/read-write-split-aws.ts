import { Annotations, CfnOutput } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { awsRoleName, checkLiteralValues, checkNamespaces, checkReaderNamespacesAgree, checkServiceAccounts, grantedReaders, trustedReaderNamespaces, checkSplit, Findings, formatWarning, quote, readerServiceAccountName, refuseSpiceCloudWriter, splitNameOf, writerShapeOf, SplitSpec, SynthesizedSplit, WorkloadIdentity } from '../core';
import { cdkFindings, checkNetwork, checkRoleNames, checkSnapshotBucket, checkSourceAccess, checkTrust, claimVpcEndpoint, StoreFacts, TOKEN_IN_DESCRIPTION } from './checks';
import { SpiceSnapshotBucket, SpiceSnapshotBucketProps } from './snapshot-bucket';
import { checkRoleTrustLength, EksTrust, KubernetesServiceAccountRef, SpiceWorkloadRole } from './workload-role';

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
   * Namespaces of the applications that run reader sidecars. Better said once in the description
   * (`split.reader.namespaces`), which the Kubernetes side reads too; when both are given they must
   * agree.
   *
   * @default - the description's `reader.namespaces`, else the split's namespace
   */
  readonly readerNamespaces?: readonly string[];
  /**
   * ServiceAccounts of applications that keep their own (`keepWorkloadServiceAccount` on the
   * reader sidecar) and run the reader sidecar: the reader role trusts them too (IRSA `sub`, or a
   * Pod Identity association each).
   *
   * @default - none
   */
  readonly readerServiceAccounts?: readonly KubernetesServiceAccountRef[];
  /**
   * Bucket options: encryption, versioning, access logs.
   *
   * @default - S3-managed encryption, no versioning, no access logs
   */
  readonly bucket?: Omit<SpiceSnapshotBucketProps, 'synthesized' | 'restrictToVpcEndpoint' | 'exemptPrincipalArns'>;
  /**
   * How the writer role gets read on the `s3://` sources that spiced reads with the pod's identity
   * (`s3_auth` `iam_role` or unset), whatever the dataset's placement: `'grant'` adds
   * `s3:GetObject` under each source's folder and `s3:ListBucket` on its bucket limited to that
   * folder by `s3:prefix`; `'external'` adds nothing, and the writer role
   * (`<split>-<region>-spice-writer`) then needs that access from you (an IAM policy, or the source
   * bucket's policy). Sources with `s3_auth` `'key'` or `'public'` need no grant. The reader role
   * never gets source access.
   *
   * @default 'grant'
   */
  readonly sourceAccess?: 'grant' | 'external';
}

/** The description's store when it is usable for the AWS checks, though the description has other problems. */
function storeOf(spec: SplitSpec, findings: Findings): StoreFacts | undefined {
  const store = spec && typeof spec === 'object' ? spec.store : undefined;
  if (!store || typeof store !== 'object' || findings.problems.some((problem) => problem.path.startsWith('split.store'))) return undefined;
  return { cloud: store.cloud, region: store.region, bucket: (store.cloud === 'azure' ? store.container : store.bucket) ?? '' };
}

function checkCluster(cluster: EksClusterRef | undefined, storeRegion: string | undefined, own: Findings): void {
  if (!cluster || typeof cluster !== 'object') {
    own.problem('cluster', `${quote(cluster)} is not a cluster`, "give { region, trust } of the EKS cluster that runs both tiers");
    return;
  }
  const late = own.isLateBound;
  if (storeRegion !== undefined && !late(storeRegion) && !late(cluster.region) && cluster.region !== storeRegion) {
    own.problem('cluster.region', `${cluster.region} is not the store's region ${storeRegion}`, 'keep the snapshot bucket in the region of the cluster that reads it');
  }
  checkTrust(cluster.trust, 'cluster.trust', own);
  checkOidcProviderRegion(cluster, own);
}

/** An EKS cluster's OIDC provider names the cluster's region: one of another never matches its tokens. */
function checkOidcProviderRegion(cluster: EksClusterRef, own: Findings): void {
  const arn = cluster.trust?.type === 'aws-irsa' ? cluster.trust.oidcProviderArn : undefined;
  if (typeof arn !== 'string' || own.isLateBound(arn) || typeof cluster.region !== 'string' || own.isLateBound(cluster.region)) return;
  const region = /:oidc-provider\/oidc\.eks\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\//.exec(arn)?.[1];
  if (region !== undefined && region !== cluster.region) {
    own.problem(
      'cluster.trust.oidcProviderArn',
      `is the OIDC provider of a cluster in ${region}, but the cluster is in ${cluster.region}: the roles would trust tokens no pod of the cluster holds`,
      "give the provider of the cluster that runs both tiers (its issuer URL: aws eks describe-cluster --query cluster.identity.oidc.issuer)",
    );
  }
}

/**
 * The AWS side of a split: the snapshot bucket in the cluster's region, a gateway endpoint for S3
 * with a bucket policy that denies data access from elsewhere, and the writer (read-write) and
 * reader (read-only) roles for EKS pods. The writer role also reads the `s3://` sources it
 * authenticates to (see `sourceAccess`); the reader role reads no source.
 *
 * Warnings of the description become CDK warnings on this construct, `@read-write-split/<id>`.
 *
 * @throws SplitValidationError at construction, listing every problem of the description and the props
 */
export class ReadWriteSplitAws extends Construct {
  public readonly synthesized: SynthesizedSplit;
  public readonly snapshots: SpiceSnapshotBucket;
  public readonly writer: SpiceWorkloadRole;
  public readonly reader: SpiceWorkloadRole;
  public readonly endpoint?: ec2.IVpcEndpoint;
  /** The VPC given as `vpc`, whose gateway endpoint the bucket requires (undefined with `vpcEndpointId`). */
  public readonly vpc?: ec2.IVpc;

  constructor(scope: Construct, id: string, props: ReadWriteSplitAwsProps) {
    super(scope, id);
    const findings = cdkFindings();
    checkLiteralValues(props.split, '', findings.under('split'), TOKEN_IN_DESCRIPTION);
    const synthesized = checkSplit(props.split, findings.under('split'));
    refuseSpiceCloudWriter(writerShapeOf(synthesized?.split, props.split), 'ReadWriteSplitAws', findings.under('split'));
    const store = synthesized?.split.store ?? storeOf(props.split, findings);
    const own = findings.under('props');
    const bucketOptions = { ...props.bucket, exemptPrincipalArns: props.exemptPrincipalArns };
    checkSnapshotBucket(this, { ...bucketOptions, splitName: splitNameOf(props.split), store }, { store: findings.under('split.store'), options: own.under('bucket'), exempt: own });
    checkCluster(props.cluster, store?.cloud === 'aws' ? store.region : undefined, own);
    checkNetwork(props, own);
    if (props.readerNamespaces !== undefined) checkNamespaces(props.readerNamespaces, 'readerNamespaces', own, 'no ServiceAccount could assume the role');
    checkReaderNamespacesAgree(props.readerNamespaces, synthesized?.split, 'readerNamespaces', own);
    checkServiceAccounts(props.readerServiceAccounts, 'readerServiceAccounts', own, grantedReaders(splitNameOf(props.split), props.readerNamespaces, synthesized?.split));
    checkSourceAccess(props.sourceAccess, props.split?.datasets, { props: own, datasets: findings.under('split.datasets') });
    if (synthesized?.split.store) {
      const { name, store: { region } } = synthesized.split;
      checkRoleNames(this, [awsRoleName(name, region, 'writer'), awsRoleName(name, region, 'reader')], findings.under('split'));
    }
    if (props.vpc) claimVpcEndpoint(this, props.vpc, this.node.path, own);
    if (synthesized?.split.store && !findings.problems.some((problem) => /^props\.(cluster|reader)/.test(problem.path))) {
      const { name, store: { region } } = synthesized.split;
      checkRoleTrustLength(props.cluster.trust, trustedReaderNamespaces(synthesized.split, props.readerNamespaces), readerServiceAccountName(name), props.readerServiceAccounts ?? [], awsRoleName(name, region, 'reader'), own, { namespaces: 'readerNamespaces', serviceAccounts: 'readerServiceAccounts' });
    }
    findings.throwIfProblems(splitNameOf(props.split), this.node.path);
    // checkSplit returns a split whenever it reports no problem.
    this.synthesized = synthesized!;
    for (const warning of findings.warnings) Annotations.of(this).addWarningV2(`@read-write-split/${warning.id}`, formatWarning(warning));

    const { split } = this.synthesized;
    this.vpc = props.vpc;
    this.endpoint = props.vpc
      ? props.vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 })
      : props.vpcEndpointId ? ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(this, 'S3Endpoint', props.vpcEndpointId) : undefined;
    // The children check their props again; they were checked above, so nothing is reported twice.
    this.snapshots = new SpiceSnapshotBucket(this, 'Snapshots', { ...bucketOptions, synthesized: this.synthesized, restrictToVpcEndpoint: this.endpoint });
    const bucket = this.snapshots.bucket;
    const trust = props.cluster.trust;
    this.writer = new SpiceWorkloadRole(this, 'Writer', {
      synthesized: this.synthesized, tier: 'writer', bucket, trust, namespaces: [split.namespace], sourceAccess: props.sourceAccess,
    });
    this.reader = new SpiceWorkloadRole(this, 'Reader', {
      synthesized: this.synthesized, tier: 'reader', bucket, trust, namespaces: trustedReaderNamespaces(split, props.readerNamespaces), extraServiceAccounts: props.readerServiceAccounts,
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
