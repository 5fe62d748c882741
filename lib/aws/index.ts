// AWS adapter (aws-cdk-lib): the snapshot bucket, its private path and the split identities.
export * from './lifecycle-rules';
export * from './vpc-endpoint-access';
export * from './prefix-grants';
export * from './snapshot-bucket';
export * from './workload-role';
export * from './read-write-split-aws';
