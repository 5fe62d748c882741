import { writerS3Auth } from './access-plan';
import { ResolvedDataset } from './dataset';
import { FLIGHT_TLS_DIR, TLS_SECRET_KEYS } from './flight-tls';
import { WRITER_DATA_DIR } from './naming';
import { CLUSTER_API_KEY_ENV, datasetSecretEnv, SecretEnvBinding, secretPlaceholder } from './secret-ref';
import { ResolvedSplit, StoredSplit } from './split';
import { compact, SpicepodAcceleration, SpicepodDataset, SpicepodParams, TierSpicepod } from './spicepod';
import { acceptedApiKeyBindings, clusterApiKeyBinding, compactionKey, engineParams, nonEmpty, snapshotsBlock, spicepodHeader } from './spicepod-blocks';

/**
 * Role of a writer replica. Exactly one replica is the `snapshot-owner` and uploads snapshots;
 * every `query-replica` bootstraps from them and never uploads, so replicas cannot race on the
 * location's `metadata.json`.
 */
export type WriterRole = 'snapshot-owner' | 'query-replica';

/** Spicepod name for each role. */
export function writerSpicepodName(split: ResolvedSplit, role: WriterRole): string {
  return role === 'snapshot-owner' ? `${split.name}-writer` : `${split.name}-writer-replica`;
}

function sourceParams(dataset: ResolvedDataset, cloud: string): SpicepodParams | undefined {
  const secrets = Object.keys(dataset.secretParams).map((param) => [param, secretPlaceholder(datasetSecretEnv(dataset.name, param))]);
  const auth = writerS3Auth(dataset, cloud);
  return nonEmpty({ ...dataset.params, ...(auth ? { s3_auth: auth } : {}), ...Object.fromEntries(secrets) });
}

function snapshotKeys(dataset: ResolvedDataset, role: WriterRole): Partial<SpicepodAcceleration> {
  const snapshots = dataset.snapshots;
  if (!snapshots) return {};
  if (role === 'query-replica') return { snapshots: 'bootstrap_only' };
  return compact({
    snapshots: 'enabled' as const,
    snapshots_trigger: snapshots.trigger,
    snapshots_trigger_threshold: snapshots.threshold,
    snapshots_compaction: compactionKey(dataset),
    snapshots_creation_policy: snapshots.creationPolicy,
  });
}

/** Acceleration of a dataset on a writer: its own file on the replica's volume. */
export function writerAcceleration(dataset: ResolvedDataset, role: WriterRole): SpicepodAcceleration {
  const { refresh } = dataset;
  return compact({
    enabled: true,
    engine: dataset.engine,
    mode: dataset.engineFile ? ('file' as const) : ('memory' as const),
    refresh_mode: refresh.mode,
    refresh_check_interval: refresh.checkInterval,
    refresh_cron: refresh.cron,
    refresh_sql: refresh.sql,
    refresh_data_window: refresh.dataWindow,
    refresh_on_startup: refresh.onStartup,
    ...snapshotKeys(dataset, role),
    params: nonEmpty(engineParams(dataset, WRITER_DATA_DIR)),
  });
}

function writerDataset(dataset: ResolvedDataset, role: WriterRole, cloud: string): SpicepodDataset {
  return compact({
    from: dataset.from,
    name: dataset.name,
    description: dataset.description,
    time_column: dataset.timeColumn,
    params: sourceParams(dataset, cloud),
    acceleration: writerAcceleration(dataset, role),
  });
}

/** Secrets a writer needs: every source credential and the cluster API key. */
export function writerSecretEnv(split: ResolvedSplit): SecretEnvBinding[] {
  const sources = split.datasets.flatMap((dataset) =>
    Object.entries(dataset.secretParams).map(([param, secret]) => ({
      envVar: datasetSecretEnv(dataset.name, param),
      secret,
      purpose: 'source-credential' as const,
    })),
  );
  return [...sources, clusterApiKeyBinding(split), ...acceptedApiKeyBindings(split)];
}

/**
 * Renders the writer Spicepod for one role. Both roles hold the source credentials and require
 * the cluster API key (spiced 1.x's `spice.ai` connector fails "Unauthorized" without it).
 */
export function renderWriterSpicepod(split: StoredSplit, role: WriterRole): TierSpicepod {
  const hasSnapshots = split.datasets.some((dataset) => dataset.snapshots);
  return {
    spicepod: compact({
      ...spicepodHeader(split, writerSpicepodName(split, role), 'writer', { role }),
      secrets: [{ from: 'env', name: 'env' }],
      runtime: compact({
        auth: { api_key: { enabled: true, keys: [CLUSTER_API_KEY_ENV, ...acceptedApiKeyBindings(split).map((binding) => binding.envVar)].map(secretPlaceholder) } },
        // Every endpoint then serves TLS: Flight, HTTP (probes use HTTPS) and metrics.
        tls: split.writer.tls ? { enabled: true, certificate_file: `${FLIGHT_TLS_DIR}/${TLS_SECRET_KEYS.certificate}`, key_file: `${FLIGHT_TLS_DIR}/${TLS_SECRET_KEYS.key}` } : undefined,
      }),
      // A writer that finds no usable snapshot boots empty and refreshes from its source ('warn').
      snapshots: hasSnapshots ? snapshotsBlock(split.store, split.store.refresh, 'warn') : undefined,
      datasets: split.datasets.map((dataset) => writerDataset(dataset, role, split.store.cloud)),
    }),
    secretEnv: writerSecretEnv(split),
  };
}
