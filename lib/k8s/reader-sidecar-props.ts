import type { SynthesizedSplit } from '../core';
import type { ClusterApiKeyExternalSecret } from './cluster-api-key';
import type { FlightCertificateIssuer } from './flight-tls';
import type { WorkloadIdentity } from './identity';
import type { SpiceEnvVar } from './pod-settings';
import type { ReaderEgressOptions } from './reader-egress';
import type { AppPort } from './reader-pod-checks';

/** How the sidecar runs: a native sidecar (init container, `restartPolicy: Always`) or a classic container. */
export type SidecarMode = 'native' | 'classic';

/** Options of the reader sidecar (all but the split, which `ReadWriteSplitChart.readerSidecar` supplies). */
export interface SpiceReaderSidecarOptions {
  /**
   * Namespace of the application.
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Read-only cloud identity bound to the reader ServiceAccount.
   *
   * @default - none: the ServiceAccount gets no identity annotations. Only a GCS store (the nodes'
   * service account) or an Azure store on spiced 1.x (the nodes' identity) takes that: an S3
   * store, or an Azure store on 2.x, refuses it at synth; a workload that keeps its own ServiceAccount
   * (`keepWorkloadServiceAccount`) brings its own identity, and a Spice Cloud split's readers take none
   */
  readonly identity?: WorkloadIdentity;
  /**
   * The datasets this application reads.
   *
   * @default - every dataset the split gives readers
   */
  readonly datasets?: readonly string[];
  /**
   * The size limit of the sidecar's local disk (an `emptyDir` of the pod): the acceleration files
   * of the datasets it restores.
   *
   * @default - the description's `reader.localDisk` when given; otherwise twice the expectedSize
   * of the accelerated datasets this reader restores, at least 10Gi (1Gi when it restores none)
   */
  readonly localDisk?: string;
  /**
   * `native` needs Kubernetes 1.29 or later (SidecarContainers on by default); `classic` runs the
   * reader as a regular container on older clusters (it then does not start before the app).
   *
   * @default 'native'
   */
  readonly mode?: SidecarMode;
  /**
   * Port of the sidecar's Prometheus metrics.
   *
   * @default 9090
   */
  readonly metricsPort?: number;
  /**
   * Ports the application takes traffic on; the NetworkPolicy admits only these (and metrics). A
   * number is a TCP port; `{ port, protocol: 'UDP' }` another protocol.
   *
   * @default - the ports the application's containers and native sidecars declare, with their protocols
   */
  readonly appPorts?: readonly (number | AppPort)[];
  /**
   * Create the reader ServiceAccount in the namespace. Every chart with a reader of the split in a
   * namespace renders it (the same object), so each chart deploys on its own.
   *
   * @default true
   */
  readonly createServiceAccount?: boolean;
  /**
   * Keep a ServiceAccount the workload already names (bind the read-only identity to it yourself);
   * the reader ServiceAccount is still rendered unless `createServiceAccount` is false.
   *
   * @default false - a workload with another ServiceAccount is an error
   */
  readonly keepWorkloadServiceAccount?: boolean;
  /**
   * Namespace allowed to scrape the sidecar's metrics.
   *
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
  /**
   * Secrets to pull the spiced image with, added to the application pod's own.
   *
   * @default - none
   */
  readonly imagePullSecrets?: readonly string[];
  /**
   * Where the cluster API key comes from: an ExternalSecret writes its Secret in the workload's
   * namespace when the reader delegates. `readerSidecar()` passes the chart's `clusterApiKey`.
   *
   * @default - none: create the Secret in the workload's namespace yourself
   */
  readonly clusterApiKey?: ClusterApiKeyExternalSecret;
  /**
   * A cert-manager issuer for the client certificate (`split.writer.flightClientCertificate`): a
   * `Certificate` writes its Secret in the workload's namespace when the reader delegates.
   * `readerSidecar()` passes the chart's `flightClientCertificate`.
   *
   * @default - none: create the Secret in the workload's namespace yourself
   */
  readonly flightClientCertificate?: FlightCertificateIssuer;
  /**
   * Extra environment variables of the sidecar container.
   *
   * @default - none
   */
  readonly env?: readonly SpiceEnvVar[];
  /**
   * Restrict the pod's egress to what the reader reaches (DNS, the writers' Flight port, the
   * bucket, its identity's endpoints) and the application's own `rules`. The pod is the
   * application's: its containers are restricted too.
   *
   * @default - egress unrestricted: the NetworkPolicy restricts ingress only
   */
  readonly egress?: ReaderEgressOptions;
}

/** Props of the reader sidecar. */
export interface SpiceReaderSidecarProps extends SpiceReaderSidecarOptions {
  /** The synthesized split (see `synthesizeSplit`). */
  readonly synthesized: SynthesizedSplit;
  /**
   * The writers' identity, so that the readers' is refused when it is the same (readers must never
   * hold the writers' read-write identity). `readerSidecar()` passes the chart's `writerIdentity`.
   *
   * @default - none: the readers' identity is compared with the library's writer role name only
   */
  readonly writerIdentity?: WorkloadIdentity;
  /**
   * The namespaces the writers admit readers from (`readerNamespaces`): a delegating reader in
   * another could not reach them, and is refused. `readerSidecar()` passes it.
   *
   * @default - any namespace
   */
  readonly admittedNamespaces?: readonly string[];
}
