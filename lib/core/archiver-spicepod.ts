import { ResolvedDataset } from './dataset';
import { WRITER_DATA_DIR } from './naming';
import { CLUSTER_API_KEY_ENV, secretPlaceholder } from './secret-ref';
import { ResolvedSplit } from './split';
import { compact, SpicepodDataset, TierSpicepod } from './spicepod';

/** The archiver copies each dataset once a day; each copy is one archive snapshot. */
export const ARCHIVE_INTERVAL = '24h';

function archivedDataset(split: ResolvedSplit, dataset: ResolvedDataset): SpicepodDataset {
  const file = dataset.engineFile!;
  return compact({
    from: `spice.ai:${dataset.name}`,
    name: dataset.name,
    description: dataset.description,
    params: {
      spiceai_endpoint: split.writer.flightEndpoint,
      spiceai_api_key: secretPlaceholder(CLUSTER_API_KEY_ENV),
    },
    acceleration: compact({
      enabled: true,
      engine: dataset.engine,
      mode: 'file' as const,
      refresh_mode: 'full' as const,
      refresh_check_interval: ARCHIVE_INTERVAL,
      snapshots: 'create_only' as const,
      snapshots_trigger: 'refresh_complete',
      snapshots_compaction: dataset.engine === 'duckdb' ? (dataset.snapshots?.compaction ? 'enabled' as const : 'disabled' as const) : undefined,
      // Every daily copy becomes a snapshot, so each day of the archive holds one per dataset.
      snapshots_creation_policy: 'always' as const,
      params: { [file.param]: `${WRITER_DATA_DIR}/${dataset.name}${file.extension}`, ...dataset.engineParams },
    }),
  });
}

/**
 * Renders the archiver: a single `spiced` that copies every accelerated dataset from the writer
 * cluster over Arrow Flight once a day and uploads it to the archive location (`create_only`).
 * It holds no source credential (only the cluster API key) and runs with the writer's read-write
 * bucket identity. Undefined when the split keeps no archive.
 */
export function renderArchiverSpicepod(split: ResolvedSplit): TierSpicepod | undefined {
  const archived = split.datasets.filter((dataset) => dataset.readers === 'accelerated');
  if (split.retention.archiveDays === undefined || archived.length === 0) return undefined;
  const { store } = split;
  return {
    spicepod: compact({
      version: 'v1' as const,
      kind: 'Spicepod' as const,
      name: `${split.name}-archiver`,
      metadata: { 'generated-by': 'read-write-split', 'split': split.name, 'tier': 'archiver' },
      secrets: [{ from: 'env', name: 'env' }],
      snapshots: compact({
        enabled: true,
        location: store.archive.uri,
        bootstrap_on_failure_behavior: 'warn' as const,
        params: Object.keys(store.params).length > 0 ? { ...store.params } : undefined,
      }),
      datasets: archived.map((dataset) => archivedDataset(split, dataset)),
    }),
    secretEnv: [{ envVar: CLUSTER_API_KEY_ENV, secret: split.writer.apiKey, purpose: 'cluster-api-key' }],
  };
}
