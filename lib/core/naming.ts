import { createHash } from 'node:crypto';

/** Ports spiced listens on in both tiers (the Spice Helm chart's values). */
export const SPICE_PORTS = { http: 8090, flight: 50051, metrics: 9090 } as const;

/** Where the writer's persistent volume is mounted: one acceleration file per dataset. */
export const WRITER_DATA_DIR = '/data';

/** Where the reader's local disk (emptyDir) is mounted: one acceleration file per accelerated dataset. */
export const READER_DATA_DIR = '/local';

/** Name of the writer cluster's Service that serves Arrow Flight to readers. */
export function writerServiceName(splitName: string): string {
  return `${splitName}-writer`;
}

/** In-cluster Flight endpoint of the writer cluster, as readers' `spiceai_endpoint`. */
export function defaultFlightEndpoint(splitName: string, namespace: string): string {
  return `http://${writerServiceName(splitName)}.${namespace}.svc.cluster.local:${SPICE_PORTS.flight}`;
}

/** Default Kubernetes Secret holding the cluster API key. */
export function defaultApiKeySecretName(splitName: string): string {
  return `${splitName}-cluster-api-key`;
}

/** ServiceAccount of the writer cluster and the archiver: bound to the read-write bucket identity. */
export function writerServiceAccountName(splitName: string): string {
  return `${splitName}-writer`;
}

/** ServiceAccount of pods that run the reader sidecar: bound to the read-only bucket identity. */
export function readerServiceAccountName(splitName: string): string {
  return `${splitName}-reader`;
}

/** Name of the StatefulSet of a writer role (and the prefix of its ConfigMap and headless Service). */
export function writerStatefulSetName(splitName: string, role: 'snapshot-owner' | 'query-replica'): string {
  return `${splitName}-writer-${role === 'snapshot-owner' ? 'owner' : 'replica'}`;
}

/** Name of a StatefulSet's headless Service (its `serviceName`). */
export function headlessServiceName(statefulSet: string): string {
  return `${statefulSet}-headless`;
}

/** Name of the ConfigMap holding a workload's Spicepod. */
export function spicepodConfigMapName(workload: string): string {
  return `${workload}-spicepod`;
}

/** Name of the archiver Deployment. */
export function archiverName(splitName: string): string {
  return `${splitName}-archiver`;
}

/** Name of the PodMonitor of a tier. */
export function podMonitorName(splitName: string, tier: 'writer' | 'archiver' | 'reader'): string {
  return `${splitName}-${tier}`;
}

/** Name of the split's PrometheusRule and its rule group. */
export function alertRulesName(splitName: string): string {
  return `${splitName}-spice`;
}

/** Name of the ConfigMap and NetworkPolicy of the reader sidecar in an application workload. */
export function readerObjectsName(workload: string): string {
  return `${workload}-spice-reader`;
}

/** Longest CronJob name Kubernetes accepts (its Jobs append 11 characters to a 63-character label). */
const CRONJOB_NAME_MAX = 52;

/**
 * Name of the CronJob (and its ServiceAccount and Role) that restarts a reader workload; a long
 * workload name is shortened and made unique with a hash of the whole.
 */
export function readerRestartName(workload: string): string {
  const name = `${workload}-spice-restart`;
  if (name.length <= CRONJOB_NAME_MAX) return name;
  const hash = createHash('sha256').update(workload).digest('hex').slice(0, 8);
  return `${workload.slice(0, CRONJOB_NAME_MAX - '-spice-restart'.length - hash.length - 1).replace(/[-.]+$/, '')}-${hash}-spice-restart`;
}
