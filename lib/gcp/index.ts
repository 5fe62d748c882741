// The GCP side of a split as a Pulumi component: the GCS snapshot bucket, the Private Google
// Access check and the GKE Workload Identity grants. Loads @pulumi/gcp by submodule only.
export { ReadWriteSplitGcp } from './read-write-split-gcp';
export type { GkeClusterRef, GkeSubnetworkRef, KubernetesServiceAccountRef, ReadWriteSplitGcpArgs } from './read-write-split-gcp';
// A Spice reader beside an application on Cloud Run.
export { SpiceReaderCloudRun } from './cloud-run-reader';
export type { CloudRunIngress, CloudRunSecretRef, SpiceReaderCloudRunArgs } from './cloud-run-reader';
