import { ResolvedDataset } from './dataset';
import { Findings, quote } from './errors';
import { ResolvedSnapshotStore } from './snapshot-store';

/**
 * Off AWS, the writer has no AWS role for its pods: an `s3://` source should say how it is read
 * (`s3_auth: 'key'` with keys, or `'public'`); spiced's own default differs between releases.
 */
export function checkS3SourcesOffAws(datasets: readonly ResolvedDataset[], store: ResolvedSnapshotStore | undefined, findings: Findings): void {
  if (!store || store.cloud === 'aws') return;
  datasets.forEach((dataset, i) => {
    if (dataset.connector !== 's3' || dataset.params.s3_auth !== undefined || 's3_key' in dataset.secretParams) return;
    findings.warn(
      's3-source-auth-unset',
      `datasets[${i}].params.s3_auth`,
      `is not set for ${quote(dataset.from)}: on ${store.cloud.toUpperCase()} the writer has no AWS role, and spiced's default differs between releases (public or the AWS credential chain); set s3_auth: 'public' for a public bucket, or 'key' with s3_key and s3_secret in secretParams`,
    );
  });
}

/**
 * The params by which spiced's abfs connector authenticates (its documentation: any one of the
 * first four, or the client flows and token sources after them). Without any, it falls back to a
 * managed identity through IMDS.
 */
const ABFS_AUTH_PARAMS = [
  'abfs_access_key', 'abfs_bearer_token', 'abfs_client_secret', 'abfs_skip_signature',
  'abfs_sas_string', 'abfs_federated_token_file', 'abfs_msi_endpoint', 'abfs_use_cli', 'abfs_use_emulator',
];

/** Where AKS Workload Identity's webhook mounts the pod's token (labelled pods). */
const AKS_WORKLOAD_IDENTITY_TOKEN = '/var/run/secrets/azure/tokens/azure-identity-token';

/**
 * The library grants the writer reads on `s3://` (AWS) and `gs://` (GCP) sources, but no cloud
 * adapter can grant on an Azure storage account it does not know the resource of: an `abfs://`
 * source without credentials params would be read with the nodes' managed identity, if any.
 */
/** spiced's connectors for Azure storage (`abfs://`, `abfss://`, and the other Azure URL schemes). */
export const AZURE_STORAGE_CONNECTORS: ReadonlySet<string> = new Set(['abfs', 'abfss', 'az', 'adl', 'azure']);

export function checkAbfsSourcesAuth(datasets: readonly ResolvedDataset[], store: ResolvedSnapshotStore | undefined, findings: Findings): void {
  // Only writers on AKS (an Azure store) carry a Workload Identity token to read with.
  const workloadIdentity = store?.cloud === 'azure'
    ? `with AKS Workload Identity give abfs_federated_token_file: '${AKS_WORKLOAD_IDENTITY_TOKEN}' with the writer identity's client and tenant ids as secretParams abfs_client_id and abfs_tenant_id, and grant that identity Storage Blob Data Reader on the account; or `
    : '';
  datasets.forEach((dataset, i) => {
    if (!AZURE_STORAGE_CONNECTORS.has(dataset.connector)) return;
    if (ABFS_AUTH_PARAMS.some((param) => dataset.params[param] !== undefined || param in dataset.secretParams)) return;
    findings.warn(
      'abfs-source-auth-unset',
      `datasets[${i}].params`,
      `give no credentials for ${quote(dataset.from)}: no adapter of this library grants access to a source storage account, and spiced's abfs connector without them falls back to a managed identity through IMDS (on AKS the nodes' identity, which every pod on them shares); ${workloadIdentity}give a service principal's abfs_client_id, abfs_tenant_id and abfs_client_secret in secretParams (Storage Blob Data Reader on the account), or abfs_skip_signature: 'true' for a public container`,
    );
  });
}
