import { sha256Hex } from './digest';

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

/** In-cluster Flight endpoint of the writer cluster, as readers' `spiceai_endpoint` (`https://` when the writers serve TLS). */
export function defaultFlightEndpoint(splitName: string, namespace: string, tls = false): string {
  return `${tls ? 'https' : 'http'}://${writerServiceHost(splitName, namespace)}:${SPICE_PORTS.flight}`;
}

/** The writer Service's in-cluster DNS name: what readers dial, and what the writers' certificate names. */
export function writerServiceHost(splitName: string, namespace: string): string {
  return `${writerServiceName(splitName)}.${namespace}.svc.cluster.local`;
}

/** ConfigMap holding the CA that signed the writers' certificate, next to each reader and the archiver. */
export function flightCaConfigMapName(splitName: string): string {
  return `${splitName}-flight-ca`;
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
  const hash = sha256Hex(workload).slice(0, 8);
  return `${workload.slice(0, CRONJOB_NAME_MAX - '-spice-restart'.length - hash.length - 1).replace(/[-.]+$/, '')}-${hash}-spice-restart`;
}

/** Google service account ids: 6-30 characters, a lowercase letter first, no '-' last. */
const GOOGLE_ACCOUNT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
const GOOGLE_ACCOUNT_ID_MAX = 30;

/**
 * Deterministic id of the Google service account of a tier (`<split>-spice-<tier>`), for GKE
 * Workload Identity with impersonation; a split name too long for Google's 30 characters is
 * shortened and made unique with a hash of the whole.
 */
export function gcpServiceAccountId(splitName: string, tier: 'writer' | 'reader'): string {
  const name = `${splitName}-spice-${tier}`;
  if (GOOGLE_ACCOUNT_ID.test(name)) return name;
  const hash = sha256Hex(splitName).slice(0, 6);
  const suffix = `-${hash}-${tier}`;
  // Split names start with a letter (the description checks it), so the shortened id does too.
  const head = splitName.slice(0, GOOGLE_ACCOUNT_ID_MAX - suffix.length).replace(/-+$/, '');
  return `${head}${suffix}`;
}

/** Email of a tier's Google service account in a project: what `iam.gke.io/gcp-service-account` names. */
export function gcpServiceAccountEmail(project: string, splitName: string, tier: 'writer' | 'reader'): string {
  return `${gcpServiceAccountId(splitName, tier)}@${project}.iam.gserviceaccount.com`;
}

/** The Workload Identity pool of a GKE project: `<project>.svc.id.goog`. */
export function gkeWorkloadPool(project: string): string {
  return `${project}.svc.id.goog`;
}

/**
 * The IAM principal of a Kubernetes ServiceAccount under Workload Identity Federation for GKE,
 * granted roles directly (no Google service account, no annotation).
 */
export function gkeWorkloadPrincipal(projectNumber: string, project: string, namespace: string, serviceAccount: string): string {
  return `principal://iam.googleapis.com/projects/${projectNumber}/locations/global/workloadIdentityPools/${gkeWorkloadPool(project)}/subject/ns/${namespace}/sa/${serviceAccount}`;
}

/** The member that may impersonate a Google service account from a Kubernetes ServiceAccount. */
export function gkeWorkloadIdentityUser(project: string, namespace: string, serviceAccount: string): string {
  return `serviceAccount:${gkeWorkloadPool(project)}[${namespace}/${serviceAccount}]`;
}

/**
 * Deterministic name of a tier's user-assigned managed identity (`<split>-spice-<tier>`), unique
 * per resource group. Its client id is Azure's to choose: it reaches the Kubernetes side through
 * the stack's outputs (see `parseSplitIdentities`).
 */
export function azureIdentityName(splitName: string, tier: 'writer' | 'reader'): string {
  return `${splitName}-spice-${tier}`;
}

/** The token subject of a Kubernetes ServiceAccount, as AKS's OIDC issuer signs it. */
export function kubernetesServiceAccountSubject(namespace: string, serviceAccount: string): string {
  return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

/** Azure federated credential names: 3-120 letters, digits, '-' and '_', a letter or digit first. */
const AZURE_CREDENTIAL_NAME_MAX = 120;

/**
 * Name of the federated credential that trusts one Kubernetes ServiceAccount:
 * `<namespace>-<name>-<hash>`, dots made dashes and shortened to what Azure allows. The hash of
 * `<namespace>/<name>` keeps names apart that read alike (`shop` + `a-reader` and `shop-a` +
 * `reader`; `api.v1` and `api-v1`): one name per credential on an identity.
 */
export function azureFederatedCredentialName(namespace: string, serviceAccount: string): string {
  const hash = sha256Hex(`${namespace}/${serviceAccount}`).slice(0, 8);
  const readable = `${namespace}-${serviceAccount}`.replace(/\./g, '-').slice(0, AZURE_CREDENTIAL_NAME_MAX - hash.length - 1);
  return `${readable}-${hash}`;
}
