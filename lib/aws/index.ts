// AWS adapter (aws-cdk-lib): the snapshot bucket, its private path and the split identities.
export { ReadWriteSplitAws } from './read-write-split-aws';
export type { EksClusterRef, ReadWriteSplitAwsProps } from './read-write-split-aws';
export { SpiceSnapshotBucket } from './snapshot-bucket';
export type { SnapshotBucketEncryption, SpiceSnapshotBucketProps } from './snapshot-bucket';
export { SpiceWorkloadRole } from './workload-role';
export type { EksTrust, EksTrustOptions, KubernetesServiceAccountRef, SpiceWorkloadRoleProps } from './workload-role';
export { SpiceReaderFargateTask } from './fargate-reader';
export type { SpiceReaderClusterApiKey, SpiceReaderFargateTaskProps } from './fargate-reader';
