import { ResolvedDataset } from './dataset';
import { WRITER_DATA_DIR } from './naming';
import { ResolvedSplit, StoredSplit } from './split';
import { compact, SpicepodDataset, TierSpicepod } from './spicepod';
import { clusterApiKeyBinding, compactionKey, engineParams, snapshotsBlock, spicepodHeader, writerClusterSource } from './spicepod-blocks';

/** The archiver copies each dataset once a day; each copy is one archive snapshot. */
export const ARCHIVE_INTERVAL = '24h';

function archivedDataset(split: ResolvedSplit, dataset: ResolvedDataset): SpicepodDataset {
  return compact({
    ...writerClusterSource(split, dataset),
    name: dataset.name,
    description: dataset.description,
    acceleration: compact({
      enabled: true,
      engine: dataset.engine,
      mode: 'file' as const,
      refresh_mode: 'full' as const,
      refresh_check_interval: ARCHIVE_INTERVAL,
      snapshots: 'create_only' as const,
      snapshots_trigger: 'refresh_complete',
      snapshots_compaction: compactionKey(dataset),
      // Every daily copy becomes a snapshot, so each day of the archive holds one per dataset.
      snapshots_creation_policy: 'always' as const,
      params: engineParams(dataset, WRITER_DATA_DIR),
    }),
  });
}

/**
 * Renders the archiver: a single `spiced` that copies every accelerated dataset from the writer
 * cluster over Arrow Flight once a day and uploads it to the archive location (`create_only`).
 * It holds no source credential (only the cluster API key) and runs with the writer's read-write
 * bucket identity. Undefined when the split keeps no archive.
 */
export function renderArchiverSpicepod(split: StoredSplit): TierSpicepod | undefined {
  const archived = split.datasets.filter((dataset) => dataset.readers === 'accelerated');
  if (split.retention.archiveDays === undefined || archived.length === 0) return undefined;
  return {
    spicepod: compact({
      ...spicepodHeader(split, `${split.name}-archiver`, 'archiver'),
      secrets: [{ from: 'env', name: 'env' }],
      snapshots: snapshotsBlock(split.store, split.store.archive, 'warn'),
      datasets: archived.map((dataset) => archivedDataset(split, dataset)),
    }),
    secretEnv: [clusterApiKeyBinding(split)],
  };
}
