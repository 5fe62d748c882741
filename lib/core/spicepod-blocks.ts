import { ResolvedDataset } from './dataset';
import { flightClientCertificateParams } from './flight-client-certificate';
import { FLIGHT_CA_DIR, FLIGHT_CA_KEY } from './flight-tls';
import { CLUSTER_API_KEY_ENV, SecretEnvBinding, secretPlaceholder } from './secret-ref';
import { ResolvedSnapshotStore, SnapshotLocation } from './snapshot-store';
import { spiceCloudParams } from './spice-cloud';
import { ResolvedSplit } from './split';
import { compact, Spicepod, SpicepodAcceleration, SpicepodDataset, SpicepodParams, SpicepodSnapshots } from './spicepod';

/** Params only when there are some, so the YAML holds no empty maps. */
export function nonEmpty(params: SpicepodParams): SpicepodParams | undefined {
  return Object.keys(params).length > 0 ? params : undefined;
}

/** The top-level `snapshots` block for one location of the store. */
export function snapshotsBlock(
  store: ResolvedSnapshotStore,
  location: SnapshotLocation,
  onFailure: SpicepodSnapshots['bootstrap_on_failure_behavior'],
): SpicepodSnapshots {
  return compact({ enabled: true, location: location.uri, bootstrap_on_failure_behavior: onFailure, params: nonEmpty({ ...store.params }) });
}

/**
 * A dataset served by the writer cluster over Arrow Flight: the `spice.ai` connector with
 * `spiceai_`-prefixed params (unprefixed ones are ignored by spiced), the cluster API key and,
 * when given, the CA it trusts and the client certificate it presents (Flight credentials, not
 * source ones).
 */
export function writerClusterSource(split: ResolvedSplit, dataset: ResolvedDataset): Pick<SpicepodDataset, 'from' | 'params'> {
  const cloud = split.writer.spiceCloud;
  // A Spice Cloud app's table, as the description names it; the app's API key is the one secret.
  if (cloud) return { from: dataset.from, params: { ...spiceCloudParams(cloud, split.image), spiceai_api_key: secretPlaceholder(CLUSTER_API_KEY_ENV) } };
  return {
    from: `spice.ai:${dataset.name}`,
    params: {
      spiceai_endpoint: split.writer.flightEndpoint,
      spiceai_api_key: secretPlaceholder(CLUSTER_API_KEY_ENV),
      ...(split.writer.tls ? { spiceai_tls_ca_certificate_file: `${FLIGHT_CA_DIR}/${FLIGHT_CA_KEY}` } : {}),
      ...flightClientCertificateParams(split.writer.flightClientCertificate),
    },
  };
}

/** Engine params with the dataset's own acceleration file in `dir` (none for in-memory engines). */
export function engineParams(dataset: ResolvedDataset, dir: string): SpicepodParams {
  const file = dataset.engineFile;
  return file ? { [file.param]: `${dir}/${dataset.name}${file.extension}`, ...dataset.engineParams } : { ...dataset.engineParams };
}

/** `snapshots_compaction` for DuckDB datasets; other engines have no such key. */
export function compactionKey(dataset: ResolvedDataset): SpicepodAcceleration['snapshots_compaction'] {
  if (dataset.engine !== 'duckdb') return undefined;
  return dataset.snapshots?.compaction ? 'enabled' : 'disabled';
}

/** The keys writers accept besides the cluster API key (a rotation), as `SPICE_CLUSTER_API_KEY_<n>`. */
export function acceptedApiKeyBindings(split: ResolvedSplit): SecretEnvBinding[] {
  return split.writer.acceptedApiKeys.map((secret, i) => ({ envVar: `${CLUSTER_API_KEY_ENV}_${i + 1}`, secret, purpose: 'cluster-api-key' as const }));
}

/** The cluster API key as an environment variable: the one secret readers and the archiver hold. */
export function clusterApiKeyBinding(split: ResolvedSplit): SecretEnvBinding {
  return { envVar: CLUSTER_API_KEY_ENV, secret: split.writer.apiKey, purpose: 'cluster-api-key' };
}

/** The start of every Spicepod the library renders: its name and where it comes from. */
export function spicepodHeader(split: ResolvedSplit, name: string, tier: string, extra: Record<string, string> = {}): Pick<Spicepod, 'version' | 'kind' | 'name' | 'metadata'> {
  return { version: 'v1', kind: 'Spicepod', name, metadata: { 'generated-by': 'read-write-split', 'split': split.name, 'tier': tier, ...extra } };
}
