import { ResolvedDataset } from './dataset';
import { READER_DATA_DIR } from './naming';
import { ReaderDatasetForm } from './reader-dataset-form';
import { SecretEnvBinding } from './secret-ref';
import { ResolvedSplit } from './split';
import { compact, SpicepodAcceleration, SpicepodDataset, SpicepodParams, TierSpicepod } from './spicepod';
import { clusterApiKeyBinding, engineParams, nonEmpty, snapshotsBlock, writerClusterSource } from './spicepod-blocks';

/** How often hot-swapping readers look for a newer snapshot, when not set. */
const DEFAULT_SNAPSHOT_CHECK_INTERVAL = '1m';

/** The reader's own acceleration file on its local disk, with the keys of the chosen form. */
function localAcceleration(dataset: ResolvedDataset, keys: SpicepodAcceleration): SpicepodAcceleration {
  return { enabled: true, engine: dataset.engine, mode: 'file', ...keys, params: engineParams(dataset, READER_DATA_DIR) };
}

function checkInterval(split: ResolvedSplit): string {
  return split.reader.snapshotCheckInterval ?? DEFAULT_SNAPSHOT_CHECK_INTERVAL;
}

/** Enterprise 2.x on S3: read the published snapshots directly; no source, no engine file. */
function fromPublishedSnapshots(split: ResolvedSplit, dataset: ResolvedDataset): SpicepodDataset {
  return compact({
    from: split.store.refresh.uri,
    name: dataset.name,
    description: dataset.description,
    params: { file_format: 'snapshot', ...split.store.params },
    acceleration: { refresh_check_interval: checkInterval(split) },
  });
}

/** Auth-mode params (`s3_auth: key`, …) would make a credential-less connector fail to build. */
const AUTH_MODE_PARAM = /(^|_)auth$/;

function withoutAuthMode(params: ResolvedDataset['params']): SpicepodParams {
  return Object.fromEntries(Object.entries(params).filter(([param]) => !AUTH_MODE_PARAM.test(param)));
}

/** Enterprise 2.x elsewhere: restore, then hot-swap newer snapshots; never refresh from the source. */
function hotSwapped(split: ResolvedSplit, dataset: ResolvedDataset): SpicepodDataset {
  return compact({
    from: dataset.from,
    name: dataset.name,
    description: dataset.description,
    ready_state: 'on_load' as const,
    params: nonEmpty(withoutAuthMode(dataset.params)),
    acceleration: localAcceleration(dataset, {
      refresh_mode: 'snapshot',
      refresh_check_interval: checkInterval(split),
      snapshots: 'bootstrap_only',
    }),
  });
}

/**
 * spiced 1.x: restore the snapshot and keep the credential-less source so the dataset registers
 * from the restored file. A full refresh with no schedule never re-reads the source.
 */
function restored(dataset: ResolvedDataset): SpicepodDataset {
  return compact({
    from: dataset.from,
    name: dataset.name,
    description: dataset.description,
    time_column: dataset.timeColumn,
    ready_state: 'on_load' as const,
    params: nonEmpty(withoutAuthMode(dataset.params)),
    acceleration: localAcceleration(dataset, {
      refresh_mode: 'full',
      refresh_on_startup: 'auto',
      on_zero_results: 'return_empty',
      snapshots: 'bootstrap_only',
    }),
  });
}

/** A delegated dataset: queried live on the writer cluster over Arrow Flight. */
function delegated(split: ResolvedSplit, dataset: ResolvedDataset): SpicepodDataset {
  return compact({ ...writerClusterSource(split, dataset), name: dataset.name, description: dataset.description });
}

function acceleratedDataset(split: ResolvedSplit, dataset: ResolvedDataset, form: ReaderDatasetForm): SpicepodDataset {
  switch (form) {
    case 'snapshot-file-format':
      return fromPublishedSnapshots(split, dataset);
    case 'snapshot-refresh':
      return hotSwapped(split, dataset);
    case 'restored-source':
      return restored(dataset);
  }
}

function readerDatasets(split: ResolvedSplit): SpicepodDataset[] {
  return split.datasets.flatMap((dataset) => {
    if (dataset.readers === 'delegated') return [delegated(split, dataset)];
    if (dataset.readers === 'writer-only') return [];
    return [acceleratedDataset(split, dataset, split.readerForms.get(dataset.name)!)];
  });
}

/** Secrets a reader needs: only the cluster API key, and only when it delegates. */
export function readerSecretEnv(split: ResolvedSplit): SecretEnvBinding[] {
  const delegates = split.datasets.some((dataset) => dataset.readers === 'delegated');
  return delegates ? [clusterApiKeyBinding(split)] : [];
}

/**
 * Renders the reader Spicepod: `bootstrap_only` snapshots, no source credentials, delegated
 * datasets pointed at the writer cluster.
 */
export function renderReaderSpicepod(split: ResolvedSplit): TierSpicepod {
  const needsLocation = [...split.readerForms.values()].some((form) => form !== 'snapshot-file-format');
  const secretEnv = readerSecretEnv(split);
  return {
    spicepod: compact({
      version: 'v1' as const,
      kind: 'Spicepod' as const,
      name: `${split.name}-reader`,
      metadata: { 'generated-by': 'read-write-split', 'split': split.name, 'tier': 'reader' },
      secrets: secretEnv.length > 0 ? [{ from: 'env', name: 'env' }] : undefined,
      snapshots: needsLocation ? snapshotsBlock(split.store, split.store.refresh, split.reader.bootstrapOnFailure) : undefined,
      datasets: readerDatasets(split),
    }),
    secretEnv,
  };
}
