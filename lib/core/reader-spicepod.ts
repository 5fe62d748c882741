import { ResolvedDataset } from './dataset';
import { didYouMean } from './description-keys';
import { Findings, quote } from './errors';
import { READER_DATA_DIR } from './naming';
import { ReaderDatasetForm } from './reader-dataset-form';
import { SecretEnvBinding } from './secret-ref';
import { ResolvedSplit, StoredSplit, storedSplit } from './split';
import { compact, SpicepodAcceleration, SpicepodDataset, SpicepodParams, SpicepodSnapshots, TierSpicepod } from './spicepod';
import { clusterApiKeyBinding, engineParams, nonEmpty, snapshotsBlock, spicepodHeader, writerClusterSource } from './spicepod-blocks';

/** How often hot-swapping readers look for a newer snapshot, when not set. */
const DEFAULT_SNAPSHOT_CHECK_INTERVAL = '1m';

/** The reader's own acceleration file on its local disk, with the keys of the chosen form. */
function localAcceleration(dataset: ResolvedDataset, keys: SpicepodAcceleration): SpicepodAcceleration {
  return { enabled: true, engine: dataset.engine, mode: 'file', ...keys, params: engineParams(dataset, READER_DATA_DIR) };
}

function checkInterval(split: ResolvedSplit): string {
  return split.reader.snapshotCheckInterval ?? DEFAULT_SNAPSHOT_CHECK_INTERVAL;
}

/** An image that ships `file_format: snapshot`, on S3: read the published snapshots directly; no source, no engine file. */
function fromPublishedSnapshots(split: StoredSplit, dataset: ResolvedDataset): SpicepodDataset {
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

/** Enterprise 2.0.0-rc.5 and later otherwise: restore, then hot-swap newer snapshots; never refresh from the source. */
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

function acceleratedDataset(split: StoredSplit, dataset: ResolvedDataset, form: ReaderDatasetForm): SpicepodDataset {
  switch (form) {
    case 'snapshot-file-format':
      return fromPublishedSnapshots(split, dataset);
    case 'snapshot-refresh':
      return hotSwapped(split, dataset);
    case 'restored-source':
      return restored(dataset);
  }
}

function readerSnapshots(split: StoredSplit): SpicepodSnapshots {
  return snapshotsBlock(split.store, split.store.refresh, split.reader.bootstrapOnFailure);
}

/** Options for one reader's Spicepod. */
export interface ReaderSpicepodOptions {
  /**
   * The datasets this reader serves, by name: an application may need only some of them.
   *
   * @default - every accelerated and delegated dataset of the split
   */
  readonly datasets?: readonly string[];
}

function readerDatasets(split: ResolvedSplit, names: ReadonlySet<string>): SpicepodDataset[] {
  return split.datasets.flatMap((dataset) => {
    if (!names.has(dataset.name)) return [];
    if (dataset.readers === 'delegated') return [delegated(split, dataset)];
    // Only a split with a store has accelerated datasets (a Spice Cloud app's are all delegated).
    return [acceleratedDataset(storedSplit(split, 'renderReaderSpicepod'), dataset, split.readerForms.get(dataset.name)!)];
  });
}

/** Checks a requested subset of datasets: every name must be a dataset readers can see. */
export function checkReaderDatasets(split: ResolvedSplit, requested: readonly string[] | undefined, findings: Findings, path = 'reader.datasets'): void {
  if (requested === undefined) return;
  const visible = split.datasets.filter((dataset) => dataset.readers !== 'writer-only');
  if (!Array.isArray(requested)) {
    findings.problem(path, `${quote(requested)} is not a list of dataset names`, `list them, e.g. ['${visible[0]?.name ?? 'orders'}'], or leave it out for all`);
    return;
  }
  if (requested.length === 0) findings.problem(path, 'is empty', 'name at least one dataset, or leave it out for all');
  requested.forEach((name, i) => {
    const dataset = split.datasets.find((d) => d.name === name);
    if (!dataset) {
      findings.problem(`${path}[${i}]`, `${quote(name)} is not a dataset of the split`, datasetFix(name, visible.map((d) => d.name)));
    } else if (dataset.readers === 'writer-only') {
      findings.problem(`${path}[${i}]`, `${quote(name)} is writer-only: no reader Spicepod holds it`, "set its 'readers' to 'accelerated' or 'delegated', or drop it here");
    }
  });
}

function selectDatasets(split: ResolvedSplit, requested: readonly string[] | undefined): ResolvedDataset[] {
  const findings = new Findings();
  checkReaderDatasets(split, requested, findings);
  findings.throwIfProblems(split.name);
  const visible = split.datasets.filter((dataset) => dataset.readers !== 'writer-only');
  return requested === undefined ? visible : visible.filter((dataset) => requested.includes(dataset.name));
}

/** Secrets a reader needs: only the cluster API key, and only when it delegates. */
export function readerSecretEnv(split: ResolvedSplit, datasets: readonly ResolvedDataset[] = split.datasets): SecretEnvBinding[] {
  const delegates = datasets.some((dataset) => dataset.readers === 'delegated');
  return delegates ? [clusterApiKeyBinding(split)] : [];
}

/**
 * Renders the reader Spicepod: `bootstrap_only` snapshots, no source credentials, delegated
 * datasets pointed at the writer cluster.
 *
 * @throws SplitValidationError when `options.datasets` names a dataset readers cannot see
 */
export function renderReaderSpicepod(split: ResolvedSplit, options: ReaderSpicepodOptions = {}): TierSpicepod {
  const selected = selectDatasets(split, options.datasets);
  const names = new Set(selected.map((dataset) => dataset.name));
  const needsLocation = selected.some((dataset) => {
    const form = split.readerForms.get(dataset.name);
    return form !== undefined && form !== 'snapshot-file-format';
  });
  const secretEnv = readerSecretEnv(split, selected);
  return {
    spicepod: compact({
      ...spicepodHeader(split, `${split.name}-reader`, 'reader'),
      secrets: secretEnv.length > 0 ? [{ from: 'env', name: 'env' }] : undefined,
      snapshots: needsLocation ? readerSnapshots(storedSplit(split, 'renderReaderSpicepod')) : undefined,
      datasets: readerDatasets(split, names),
    }),
    secretEnv,
  };
}

/** The dataset meant, or the datasets readers can be given. */
function datasetFix(name: unknown, names: readonly string[]): string {
  const near = typeof name === 'string' ? didYouMean(name, names) : undefined;
  return near ? `did you mean '${near}'? (the split's reader datasets: ${names.join(', ')})` : `use one of ${names.join(', ')}`;
}
