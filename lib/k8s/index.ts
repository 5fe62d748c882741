// Kubernetes adapter (cdk8s + cdk8s-plus-28): the writer cluster, the reader sidecar, identities.
export { ReadWriteSplitChart } from './split-chart';
export type { ReadWriteSplitChartProps } from './split-chart';
export { SpiceWriterCluster } from './writer-cluster';
export type { SpiceWriterClusterProps, WriterClusterOptions } from './writer-cluster';
export type { FlightCertificateIssuer } from './flight-tls';
export type { ClusterApiKeyExternalSecret } from './cluster-api-key';
export type { FlightLoadBalancer, FlightLoadBalancerCloud } from './flight-load-balancer';
// The writer cluster's parts, as types of its escape hatches (`chart.writer.owner.apiObject`, ...).
export type { WriterStatefulSet } from './writer-statefulset';
export type { WriterRoleWorkload, WriterWorkloads } from './writer-workloads';
export type { SpicepodSetUpdateStrategy, SpicepodSetWriter, SpicepodSetWriterProps, SpicepodSetWriterWorkloads } from './spicepod-set-writer';
export type { Archiver } from './archiver';
export type { SpicepodConfigMap } from './spicepod-config-map';
// Writer roles as releases of the Spice Helm chart (`workloads: { type: 'helm', ... }`).
export { HelmWriterRelease } from './helm-writer-release';
export type { HelmWriterReleaseNames, HelmWriterReleaseProps, HelmWriterWorkloads } from './helm-writer-release';
export type { SpiceChartValues } from './helm-writer-values';
export { SPICE_HELM_CHART } from './helm-chart-version';
export { SpiceReaderSidecar } from './reader-sidecar';
export type { ReaderAttachment, SidecarMode, SpiceReaderSidecarOptions, SpiceReaderSidecarProps } from './reader-sidecar';
export type { AppPort } from './reader-pod-checks';
export type { ReaderEgressDns, ReaderEgressOptions, ReaderEgressPeer, ReaderEgressPort, ReaderEgressRule } from './reader-egress';
export { LINK_LOCAL_DNS_RESOLVERS } from './reader-egress';
export { LINK_LOCAL_IDENTITY_ENDPOINTS } from './identity-endpoints';
export type { EgressEndpoint } from './identity-endpoints';
export { ReaderRestartSchedule } from './reader-restart-schedule';
export type { ReaderRestartScheduleProps } from './reader-restart-schedule';
export { SplitObservability } from './observability';
export type { SplitObservabilityOptions, SplitObservabilityProps } from './observability';
export type { NodeSpread } from './spice-pod';
export type { SpiceEnvVar, SpicePodSettings, SpiceToleration, WriterPodSettings, WriterUpdateStrategy } from './pod-settings';
export type { WorkloadIdentity } from './identity';
export { readSplitIdentities } from './split-identities';
export type { SplitIdentities } from './split-identities';
export { LABELS, SPICEPOD_CHECKSUM_ANNOTATION } from './labels';
export { WARNING_METADATA } from './warnings';
export { secretsToCreate } from './secrets-to-create';
export type { SecretToCreate } from './secrets-to-create';
