import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Findings, quote, ResolvedSplit } from '../core';
import { LABELS } from './labels';
import { manifest } from './manifest';
import { firstInNamespace } from './once-per-namespace';

/**
 * The cluster API key from a secret store, through the External Secrets Operator: an
 * `ExternalSecret` writes `split.writer.apiKey`'s Secret in the writers' namespace and in every
 * namespace with a reader that delegates, so the key is never created by hand.
 */
export interface ClusterApiKeyExternalSecret {
  /** Name of the (Cluster)SecretStore that holds the key. */
  readonly storeName: string;
  /**
   * `ClusterSecretStore` (one store for every namespace) or `SecretStore` (one in each namespace).
   *
   * @default 'ClusterSecretStore'
   */
  readonly storeKind?: string;
  /** Key of the secret in the store. */
  readonly remoteKey: string;
  /**
   * Property of the secret in the store (for JSON secrets).
   *
   * @default - the whole value
   */
  readonly property?: string;
  /**
   * How often the operator refreshes the Secret. Pods read the key at startup: a new value reaches
   * them when they restart.
   *
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

const STORE_KINDS = ['ClusterSecretStore', 'SecretStore'];
const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const DURATION = /^(\d+(ns|us|µs|ms|s|m|h))+$/;

/** Checks the source; paths are rooted where `findings` is. */
export function checkClusterApiKeySource(source: ClusterApiKeyExternalSecret | undefined, path: string, findings: Findings): void {
  if (source === undefined) return;
  if (!source || typeof source !== 'object') {
    findings.problem(path, `${quote(source)} is not an external secret`, "give { storeName, remoteKey }");
    return;
  }
  if (typeof source.storeName !== 'string' || !NAME.test(source.storeName)) {
    findings.problem(`${path}.storeName`, `${quote(source.storeName)} is not a secret store name`, 'use the name of your (Cluster)SecretStore');
  }
  if (source.storeKind !== undefined && !STORE_KINDS.includes(source.storeKind)) {
    findings.problem(`${path}.storeKind`, `${quote(source.storeKind)} is not a secret store kind`, "use 'ClusterSecretStore' or 'SecretStore'");
  }
  if (typeof source.remoteKey !== 'string' || source.remoteKey.length === 0) {
    findings.problem(`${path}.remoteKey`, `${quote(source.remoteKey)} is not a key in the store`, "give the key of the secret, e.g. 'spice/orders/cluster-api-key'");
  }
  if (source.refreshInterval !== undefined && !DURATION.test(source.refreshInterval)) {
    findings.problem(`${path}.refreshInterval`, `${quote(source.refreshInterval)} is not a duration`, "use e.g. '1h' or '15m'");
  }
}

/** The ExternalSecret that writes the cluster API key's Secret in a namespace, once per chart. */
export function clusterApiKeyExternalSecret(scope: Construct, split: ResolvedSplit, namespace: string | undefined, source: ClusterApiKeyExternalSecret): ApiObject | undefined {
  if (!firstInNamespace(scope, `cluster-api-key/${split.name}`, namespace)) return undefined;
  const { apiKey } = split.writer;
  return manifest(scope, 'ClusterApiKey', 'external-secrets.io/v1', 'ExternalSecret', {
    name: apiKey.secretName,
    namespace,
    labels: { [LABELS.split]: split.name },
  }, {
    spec: {
      refreshInterval: source.refreshInterval ?? '1h',
      secretStoreRef: { name: source.storeName, kind: source.storeKind ?? 'ClusterSecretStore' },
      target: { name: apiKey.secretName, creationPolicy: 'Owner' },
      data: [{ secretKey: apiKey.key, remoteRef: { key: source.remoteKey, ...(source.property ? { property: source.property } : {}) } }],
    },
  });
}
