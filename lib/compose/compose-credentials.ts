import { Findings, formatVersion, quote, ReaderInstance, ResolvedSnapshotStore, SynthesizedSplit } from '../core';
import { ComposeMount, requiredVariable } from './compose-file';

/**
 * How the reader on a laptop reaches the snapshot store: with the developer's own read-only
 * credentials, taken from their shell when Compose starts it. No value is ever written in the file.
 */
export interface StoreCredentials {
  /** Variables of the reader: `null` passes the developer's variable through (unset stays unset). */
  readonly environment: Readonly<Record<string, string | null>>;
  /** Files mounted read-only (GCS: the Application Default Credentials). */
  readonly mounts: readonly ComposeMount[];
  /** What the developer runs before `docker compose up`, for the file's header. */
  readonly howTo: readonly string[];
}

/** Where the GCS Application Default Credentials file is mounted in the reader. */
export const GCP_CREDENTIALS_PATH = '/etc/gcloud/application_default_credentials.json';

/**
 * The AWS SDK's environment credentials (the default chain that `s3_auth: iam_role` uses). The
 * metadata endpoint is turned off: there is none on a laptop, and without it missing credentials
 * fail at once instead of after the SDK's IMDS timeouts.
 */
function awsCredentials(): StoreCredentials {
  return {
    environment: { AWS_ACCESS_KEY_ID: null, AWS_SECRET_ACCESS_KEY: null, AWS_SESSION_TOKEN: null, AWS_EC2_METADATA_DISABLED: 'true' },
    mounts: [],
    howTo: [
      'Export read-only AWS credentials of a role the bucket lets in from outside the VPC endpoint, e.g.:',
      '  eval "$(aws configure export-credentials --profile <profile> --format env)"',
      'Temporary credentials expire: export them again and run `docker compose up -d` to restart the reader.',
    ],
  };
}

/**
 * The developer's Application Default Credentials (`gcloud auth application-default login`),
 * mounted read-only; `GOOGLE_APPLICATION_CREDENTIALS` points elsewhere when set. The bind mount
 * never creates a missing file (Docker would create a directory in its place).
 */
function gcpCredentials(): StoreCredentials {
  const source = '${GOOGLE_APPLICATION_CREDENTIALS:-${HOME}/.config/gcloud/application_default_credentials.json}';
  return {
    environment: { GOOGLE_APPLICATION_CREDENTIALS: GCP_CREDENTIALS_PATH },
    mounts: [{ type: 'bind', source, target: GCP_CREDENTIALS_PATH, read_only: true, bind: { create_host_path: false } }],
    howTo: [
      'Log in with an account that may read the snapshot prefix: gcloud auth application-default login',
      '(or set GOOGLE_APPLICATION_CREDENTIALS to another credentials file). The file is mounted read-only;',
      'on Linux spiced (uid 65534) must be able to read it, e.g.: setfacl -m u:65534:r <file>',
    ],
  };
}

/**
 * Azure credentials the object store reads from `AZURE_*` variables (Spice 2.x): a bearer token
 * for Storage, or a service principal. A token lasts about an hour.
 */
function azureCredentials(): StoreCredentials {
  return {
    environment: { AZURE_STORAGE_TOKEN: null, AZURE_CLIENT_ID: null, AZURE_TENANT_ID: null, AZURE_CLIENT_SECRET: null },
    mounts: [],
    howTo: [
      'Export a Storage token of an identity with Storage Blob Data Reader on the container, e.g.:',
      '  export AZURE_STORAGE_TOKEN="$(az account get-access-token --resource https://storage.azure.com/ --query accessToken -o tsv)"',
      '(or AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET of a service principal). The token lasts about an hour.',
    ],
  };
}

/** The developer's credentials for the split's store. */
export function storeCredentials(store: ResolvedSnapshotStore): StoreCredentials {
  switch (store.cloud) {
    case 'aws':
      return awsCredentials();
    case 'gcp':
      return gcpCredentials();
    case 'azure':
      return azureCredentials();
  }
}

const STORE_TITLES = { gcp: 'GCS', azure: 'Azure' } as const;

/**
 * Refuses a store the image cannot reach from a laptop: before Spice 2.0.0-rc.5, `gs://` and
 * `abfss://` snapshot locations read no params and no environment, only the metadata server
 * (GCS) or IMDS (Azure), and a laptop has neither.
 */
export function checkStoreCredentials(synthesized: SynthesizedSplit, findings: Findings): void {
  const { store, image } = synthesized.split;
  // A split without a store (a Spice Cloud writer) is refused by the reader checks.
  if (!store || store.cloud === 'aws' || image.capabilities.objectStoreCredentials) return;
  const title = STORE_TITLES[store.cloud];
  findings.problem(
    'split.image.tag',
    `${quote(image.tag)} is Spice ${formatVersion(image.version)}, which reads ${title} snapshot locations (${store.refresh.uri}) only with the ${store.cloud === 'gcp' ? 'metadata server' : 'IMDS managed identity'} of a cloud VM, and a laptop has none: the reader would never restore a snapshot`,
    `use an image of Spice 2.0.0-rc.5 or later (it reads ${store.cloud === 'gcp' ? 'GOOGLE_APPLICATION_CREDENTIALS' : 'AZURE_* variables'}), or run this reader in ${store.cloud === 'gcp' ? 'GKE or Cloud Run' : 'AKS or Container Apps'}`,
  );
}

/**
 * The cluster API key, when the reader delegates: the model's variable, required from the
 * developer's shell. Compose stops with the message when it is unset; its value is never in the file.
 */
export function secretEnvironment(instance: ReaderInstance, spiceCloud: boolean): Record<string, string> {
  const key = spiceCloud ? `the API key of the ${instance.splitName} Spice Cloud app` : `a reader API key of the ${instance.splitName} writer cluster`;
  return Object.fromEntries(instance.secretEnv.map((binding) => [
    binding.envVar,
    requiredVariable(binding.envVar, `export ${binding.envVar} (${key}, from Secret ${binding.secret.secretName}/${binding.secret.key})`),
  ]));
}
