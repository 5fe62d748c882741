// Kubernetes adapter (cdk8s + cdk8s-plus-28): the writer cluster, the reader sidecar, identities.
export * from './identity';
export * from './labels';
export * from './pod-security';
export * from './spice-container';
export * from './spice-pod';
export * from './spicepod-config-map';
export * from './writer-statefulset';
export * from './archiver';
export * from './network-policies';
export * from './writer-cluster';
export * from './reader-pod-checks';
export * from './reader-sidecar';
export * from './split-chart';
export * from './observability';
export * from './reader-restart-schedule';
