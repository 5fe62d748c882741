import { App, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { accessPlan, storedSplit, type SynthesizedSplit } from '../../dist/core';
import { BENCH_ENV } from './aws';

/** One tier's role, as a team would spell it out: name, trust, grants and the cdk-nag findings it acknowledges. */
interface BaselineRole {
  readonly id: 'Writer' | 'Reader';
  readonly name: string;
  readonly description: string;
  readonly serviceAccount: string;
  readonly namespaces: readonly string[];
  readonly prefix: string;
  readonly readWrite: boolean;
  /** S3 sources as `[bucket, folder, datasets]`: read under the folder, list the bucket limited to it. */
  readonly sources: readonly (readonly [string, string, string])[];
}

/** The facts a team hard-codes in a hand-written stack, taken (untimed) from the library's split. */
export interface AwsL2Baseline {
  readonly bucketName: string;
  readonly splitName: string;
  readonly lifecycle: readonly { readonly id: string; readonly prefix: string; readonly days: number }[];
  readonly abortUploads: { readonly prefix: string; readonly days: number };
  readonly vpcEndpointId: string;
  readonly clusterName: string;
  readonly roles: readonly BaselineRole[];
}

export function prepareAwsL2Baseline(synthesized: SynthesizedSplit, readerNamespaces: readonly string[], vpcEndpointId: string, clusterName: string): AwsL2Baseline {
  const split = storedSplit(synthesized.split, 'the AWS baseline');
  const { retention } = synthesized;
  const plan = accessPlan(split);
  const role = (tier: 'writer' | 'reader') => ({
    name: `${split.name}-${split.store.region}-spice-${tier}`,
    description: `${tier === 'writer' ? 'Read-write' : 'Read-only'} access to the ${split.name} Spice snapshots`,
    serviceAccount: `${split.name}-${tier}`,
  });
  return {
    bucketName: split.store.bucket,
    splitName: split.name,
    lifecycle: retention.rules.map((rule) => ({ id: rule.id, prefix: rule.prefix, days: rule.expireAfterDays })),
    abortUploads: { prefix: retention.abortIncompleteUploads.prefix, days: retention.abortIncompleteUploads.afterDays },
    vpcEndpointId,
    clusterName,
    roles: [
      {
        id: 'Writer', ...role('writer'), namespaces: [split.namespace], prefix: plan.writer[0].prefix, readWrite: true,
        sources: plan.writerSources.map((s) => [s.bucket, s.prefix, s.datasets.map((i) => split.datasets[i].name).join(', ')] as const),
      },
      { id: 'Reader', ...role('reader'), namespaces: readerNamespaces, prefix: plan.reader[0].prefix, readWrite: false, sources: [] },
    ],
  };
}

function snapshotBucket(scope: Construct, baseline: AwsL2Baseline): s3.Bucket {
  const bucket = new s3.Bucket(new Construct(scope, 'Snapshots'), 'Bucket', {
    bucketName: baseline.bucketName,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
    encryption: s3.BucketEncryption.S3_MANAGED,
    bucketKeyEnabled: false,
    versioned: false,
    lifecycleRules: [
      ...baseline.lifecycle.map((rule) => ({ id: rule.id, prefix: rule.prefix, expiration: Duration.days(rule.days) })),
      { id: 'abort-incomplete-uploads', prefix: baseline.abortUploads.prefix, abortIncompleteMultipartUploadAfter: Duration.days(baseline.abortUploads.days) },
    ],
  });
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyDataAccessOutsideVpcEndpoint',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject*', 's3:PutObject*', 's3:DeleteObject*', 's3:ListBucket*', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload', 's3:RestoreObject'],
    resources: [bucket.bucketArn, bucket.arnForObjects('*')],
    conditions: { StringNotEquals: { 'aws:SourceVpce': baseline.vpcEndpointId } },
  }));
  bucket.policy?.applyRemovalPolicy(RemovalPolicy.RETAIN);
  Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'Snapshots are derived data re-created from their sources.' });
  return bucket;
}

function podIdentity(clusterName: string, namespaces: readonly string[], serviceAccount: string): iam.PrincipalBase {
  return new iam.ServicePrincipal('pods.eks.amazonaws.com').withConditions({
    StringEquals: {
      'aws:RequestTag/eks-cluster-name': clusterName,
      'aws:RequestTag/kubernetes-namespace': namespaces.length === 1 ? namespaces[0] : [...namespaces],
      'aws:RequestTag/kubernetes-service-account': serviceAccount,
    },
  });
}

function tierRole(split: Construct, bucket: s3.Bucket, baseline: AwsL2Baseline, spec: BaselineRole): iam.Role {
  const scope = new Construct(split, spec.id);
  const principal = podIdentity(baseline.clusterName, spec.namespaces, spec.serviceAccount);
  const role = new iam.Role(scope, 'Role', { roleName: spec.name, description: spec.description, assumedBy: principal.withSessionTags() });
  spec.namespaces.forEach((namespace, i) => new eks.CfnPodIdentityAssociation(scope, `Association${i}`, {
    clusterName: baseline.clusterName, namespace, serviceAccount: spec.serviceAccount, roleArn: role.roleArn,
  }));
  const write = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: spec.readWrite ? 'ReadWriteSnapshots' : 'ReadSnapshots',
    actions: ['s3:GetObject', ...(spec.readWrite ? write : [])],
    resources: [bucket.arnForObjects(`${spec.prefix}*`)],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ListSnapshotBucket', actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
  const logicalId = Stack.of(split).getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
  Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${spec.prefix}*]`, reason: 'Snapshot objects are named by spiced.' });
  if (spec.sources.length > 0) grantSources(role, spec.sources);
  return role;
}

function grantSources(role: iam.Role, sources: BaselineRole['sources']): void {
  const arn = (bucket: string) => `arn:${Stack.of(role).partition}:s3:::${bucket}`;
  role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadSources', actions: ['s3:GetObject'], resources: sources.map(([bucket, folder]) => `${arn(bucket)}/${folder}*`) }));
  [...new Set(sources.map(([bucket]) => bucket))].forEach((bucket, i) => {
    const folders = sources.filter(([b]) => b === bucket).flatMap(([, folder]) => [folder, `${folder}*`]);
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: `ListSourceBucket${i}`, actions: ['s3:ListBucket'], resources: [arn(bucket)], conditions: { StringLike: { 's3:prefix': folders } },
    }));
  });
  Validations.of(role).acknowledge(...sources.map(([bucket, folder, datasets]) => ({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${bucket}/${folder}*]`,
    reason: `The writer refreshes ${datasets} from s3://${bucket}/${folder}.`,
  })));
}

/**
 * What a team would write by hand with aws-cdk-lib's L2 constructs for the same template: the
 * bucket, its VPC-endpoint policy, both roles with their trust, grants and cdk-nag
 * acknowledgements, the Pod Identity associations and the outputs. Given the facts a team would
 * hard-code (prepared untimed from the library's split); the run checks both templates are equal.
 */
export function baselineAwsL2App(baseline: AwsL2Baseline): App {
  const app = new App();
  const stack = new Stack(app, 'Bench', { env: BENCH_ENV });
  const split = new Construct(stack, 'Split');
  const bucket = snapshotBucket(split, baseline);
  const [writer, reader] = baseline.roles.map((spec) => tierRole(split, bucket, baseline, spec));
  new CfnOutput(split, 'BucketName', { value: bucket.bucketName, description: 'Snapshot bucket' });
  new CfnOutput(split, 'WriterRoleArn', { value: writer.roleArn, description: 'Role of the writer cluster and the archiver' });
  new CfnOutput(split, 'ReaderRoleArn', { value: reader.roleArn, description: 'Role of the reader sidecars' });
  return app;
}
