import { checkDatasetKeys, checkSplitKeys, didYouMean } from './description-keys';
import { resolveDataset, ResolvedDataset } from './dataset';
import { DatasetSpec } from './dataset-spec';
import { lockResolvedSplit } from './description-lock';
import { Findings, quote, ROOT_PATH, SplitValidationError, SplitWarning } from './errors';
import { checkReaderHotSwap, checkReaderStore, readerDatasetForm, ReaderDatasetForm } from './reader-dataset-form';
import { resolveRetention, ResolvedRetention, RetentionSpec } from './retention';
import { bucketEstimate, BucketEstimate, readerLocalDisk, writerStorageSize } from './sizing';
import { resolveSnapshotStore, ResolvedSnapshotStore, SnapshotStoreSpec } from './snapshot-store';
import { ResolvedSpiceImage, resolveSpiceImage, SpiceImageSpec } from './spice-image';
import {
  ReaderTierSpec,
  ResolvedReaderSettings,
  ResolvedWriterSettings,
  resolveReaderSettings,
  resolveWriterSettings,
  WriterTierSpec,
} from './tiers';
import { checkUpgrade, UpgradeSpec } from './upgrade-check';
import { NAMESPACE_NAME } from './kubernetes-names';
import { SPLIT_NAME_FIX, splitNameProblem } from './split-name';
import { checkAbfsSourcesAuth, checkS3SourcesOffAws } from './source-auth';
import { checkSpiceCloudSplit, isSpiceCloudWriter, refuseSpiceCloudWriter, SpiceCloudWriterTierSpec } from './spice-cloud';

/** The one description of a read/write split that every adapter maps. */
export interface SplitSpec {
  /**
   * Name of the split: a DNS label (lowercase letters, digits, `-`), at most 37 characters, so that
   * every name derived from it fits Kubernetes' limits (`<name>-writer-replica` is a StatefulSet,
   * whose pods' revision label must stay within 63 characters).
   */
  readonly name: string;
  /**
   * Kubernetes namespace of both tiers.
   *
   * @default - the split name
   */
  readonly namespace?: string;
  /**
   * The `spiced` image and edition.
   *
   * @default - OSS `spiceai/spiceai:1.11.5`
   */
  readonly image?: SpiceImageSpec;
  /** The snapshot bucket both tiers share. (A split whose writer is a Spice Cloud app has none: see `SpiceCloudSplitSpec`.) */
  readonly store: SnapshotStoreSpec;
  /** The datasets, in the order they appear in the Spicepods. */
  readonly datasets: readonly DatasetSpec[];
  /**
   * Snapshot retention.
   *
   * @default - refresh snapshots 72h, daily archive 30d
   */
  readonly retention?: RetentionSpec;
  /**
   * The writer cluster.
   *
   * @default - 3 replicas with the seed's sizing
   */
  readonly writer?: WriterTierSpec;
  /**
   * Warnings you have read and accept, by id (e.g. `no-hot-swap` for an OSS image on purpose):
   * adapters no longer show them.
   *
   * @default - none
   */
  readonly acknowledgedWarnings?: readonly string[];
  /**
   * The read tier.
   *
   * @default - `retry` bootstrap (readers fail closed), no source access, the seed's sizing
   */
  readonly reader?: ReaderTierSpec;
  /**
   * The last deployed description (its lock, read from the file committed after the deploy) and
   * the breaking changes you allow: a change that readers still running the last description
   * would not survive (a dataset removed or renamed, another engine, source, refresh SQL, time
   * column or reader placement, another name, namespace or snapshot location) is refused unless
   * allowed. See docs/upgrades.md.
   *
   * @default - no check against a previous description
   */
  readonly upgradeFrom?: UpgradeSpec;
}

/**
 * A split whose writer is a Spice Cloud app: readers delegate every dataset to it over Flight with
 * its API key and restore nothing, so there is no `store`, `retention` or writer cluster; each
 * dataset names one of the app's tables (`from: 'spice.ai:<table>'`).
 */
export interface SpiceCloudSplitSpec extends Omit<SplitSpec, 'store' | 'writer' | 'retention' | 'upgradeFrom'> {
  /** The Spice Cloud app, and its API key. */
  readonly writer: SpiceCloudWriterTierSpec;
}

/** Any split description: one with its own writer cluster and snapshot store, or one whose writer is a Spice Cloud app. */
export type AnySplitSpec = SplitSpec | SpiceCloudSplitSpec;

/** Whether the description's writer is a Spice Cloud app (`writer.spiceCloud`). */
export function isSpiceCloudSplit(spec: AnySplitSpec): spec is SpiceCloudSplitSpec {
  return isSpiceCloudWriter(spec.writer);
}

/** The writer tier after defaults and sizing. */
export interface ResolvedWriter extends ResolvedWriterSettings {
  readonly storageSize: string;
}

/** The read tier after defaults and sizing. */
export interface ResolvedReader extends ResolvedReaderSettings {
  /** The local disk of a reader of every dataset: as given, or derived from the accelerated datasets. */
  readonly localDisk: string;
  /**
   * `reader.localDisk` was given: every reader gets it, unless it gives its own `localDisk`. Otherwise a reader of some datasets
   * (`datasets`) gets the disk its own accelerated datasets need (`readerLocalDiskFor`).
   */
  readonly localDiskGiven: boolean;
}

/** A checked split with every default applied: the input of every renderer. */
export interface ResolvedSplit {
  readonly name: string;
  readonly namespace: string;
  readonly image: ResolvedSpiceImage;
  /** The snapshot store; undefined when the writer is a Spice Cloud app (`writer.spiceCloud`). */
  readonly store?: ResolvedSnapshotStore;
  readonly datasets: readonly ResolvedDataset[];
  readonly readerForms: ReadonlyMap<string, ReaderDatasetForm>;
  readonly retention: ResolvedRetention;
  readonly writer: ResolvedWriter;
  readonly reader: ResolvedReader;
  /** Valid but risky choices, for adapters to surface at synth time. */
  readonly warnings: readonly SplitWarning[];
  /** The warnings the description acknowledges (`acknowledgedWarnings`), for those an adapter raises. */
  readonly acknowledgedWarnings: ReadonlySet<string>;
}

/** A split whose writers publish snapshots to a store: every split but one whose writer is a Spice Cloud app. */
export type StoredSplit = ResolvedSplit & { readonly store: ResolvedSnapshotStore };

/** Whether the split has a snapshot store (its writer is not a Spice Cloud app). */
export function hasStore(split: ResolvedSplit): split is StoredSplit {
  return split.store !== undefined;
}

/**
 * The split as one with a store, for `component`, which is built on it.
 *
 * @throws SplitValidationError when the writer is a Spice Cloud app (the split has no store), at `path`
 */
export function storedSplit(split: ResolvedSplit, component: string, path = 'split'): StoredSplit {
  if (hasStore(split)) return split;
  throw spiceCloudRefusal(split, component, path);
}

/** The library's error for `component`, which needs a store or a writer cluster, given a split whose writer is a Spice Cloud app. */
export function spiceCloudRefusal(split: ResolvedSplit, component: string, path = 'split'): SplitValidationError {
  const findings = new Findings();
  refuseSpiceCloudWriter(split, component, findings.under(path));
  return new SplitValidationError(split.name, findings.problems, component);
}

export { SPLIT_NAME } from './split-name';

/** Placeholder that names derive from while the split name is invalid, so its error is reported once. */
const PLACEHOLDER_NAME = 'split';

/** Checks the names; returns the name other names derive from. */
function checkNames(spec: AnySplitSpec, findings: Findings): string {
  const nameProblem = splitNameProblem(spec.name);
  const valid = nameProblem === undefined;
  if (!valid) findings.problem('name', nameProblem, SPLIT_NAME_FIX);
  if (spec.namespace !== undefined && (typeof spec.namespace !== 'string' || !NAMESPACE_NAME.test(spec.namespace))) {
    findings.problem('namespace', `${quote(spec.namespace)} is not a Kubernetes namespace`, "use lowercase letters, digits and '-'");
  }
  return valid ? spec.name : PLACEHOLDER_NAME;
}

function resolveDatasets(spec: AnySplitSpec, spiceCloud: boolean, findings: Findings): ResolvedDataset[] {
  if (!Array.isArray(spec.datasets) || spec.datasets.length === 0) {
    const what = spec.datasets === undefined ? 'is missing' : Array.isArray(spec.datasets) ? 'is empty' : `${quote(spec.datasets)} is not a list`;
    findings.problem('datasets', what, 'describe at least one dataset, as a list');
    return [];
  }
  const notObjects = new Set<number>();
  const datasets = spec.datasets.map((dataset, i) => {
    const path = `datasets[${i}]`;
    if (dataset && typeof dataset === 'object' && !Array.isArray(dataset)) {
      checkDatasetKeys(dataset, path, findings);
      return resolveDataset(dataset, path, findings, spiceCloud);
    }
    findings.problem(path, `${quote(dataset)} is not a dataset`, "describe it as an object, e.g. { name: 'orders', from: 's3://lake/orders/' }");
    notObjects.add(i);
    // A placeholder keeps the other datasets' indexes, and so their paths, as written; its own problem is the one above.
    return resolveDataset({} as DatasetSpec, path, new Findings(findings.isLateBound), spiceCloud);
  });
  const names = new Set<string>();
  datasets.forEach((dataset, i) => {
    if (notObjects.has(i) || names.size < names.add(dataset.name).size) return;
    const first = datasets.findIndex((other, j) => !notObjects.has(j) && other.name === dataset.name);
    findings.problem(`datasets[${i}].name`, `${quote(dataset.name)} is already the name of datasets[${first}]`, 'give every dataset its own name');
  });
  if (!datasets.some((dataset) => dataset.readers !== 'writer-only')) {
    findings.warn('no-reader-datasets', 'datasets', 'every dataset is writer-only: readers will serve nothing');
  }
  return datasets;
}

/**
 * With `on_change`, a dataset that does not change gets no new snapshot; once lifecycle rules
 * expire its last one, new readers cannot bootstrap it.
 */
function warnQuietDatasets(datasets: readonly ResolvedDataset[], findings: Findings): void {
  const quiet = (dataset: ResolvedDataset) => dataset.snapshots?.creationPolicy === 'on_change';
  const onChange = datasets.filter(quiet).map((dataset) => dataset.name);
  if (onChange.length === 0) return;
  // One warning for all of them, placed at the first.
  findings.warn(
    'on-change-snapshots-expire',
    `datasets[${datasets.findIndex(quiet)}].snapshots.creationPolicy`,
    `${onChange.join(', ')} snapshot only when their data changes ('on_change'): if one stays unchanged longer than retention.refreshSnapshots, its snapshots expire; the writer re-creates one at its next refresh (spiced 1.11+), and until then new readers of it cannot bootstrap; for such datasets set snapshots { trigger: 'time_interval', threshold: '12h', creationPolicy: 'always' }`,
  );
}

function planReaderForms(
  datasets: readonly ResolvedDataset[],
  image: ResolvedSpiceImage,
  store: ResolvedSnapshotStore | undefined,
  reader: ResolvedReaderSettings,
  findings: Findings,
): Map<string, ReaderDatasetForm> {
  const forms = new Map<string, ReaderDatasetForm>();
  if (!store) return forms;
  datasets.forEach((dataset, i) => {
    if (dataset.readers !== 'accelerated') return;
    forms.set(dataset.name, readerDatasetForm(dataset, image, store, reader, `datasets[${i}]`, findings));
  });
  return forms;
}

/** Identifiers of the warnings a description can raise (see `SplitSpec.acknowledgedWarnings`). */
export const SPLIT_WARNING_IDS = [
  'oss-snapshots',
  'no-hot-swap',
  'few-writer-replicas',
  'no-reader-datasets',
  'on-change-snapshots-expire',
  'azure-node-identity',
  'bootstrap-setting-moot',
  'large-reader-disk',
  'reader-disk-small',
  's3-source-auth-unset',
  'abfs-source-auth-unset',
  'writer-volume-unsized',
  'writer-volume-small',
  'store-prefix-left-behind',
  'irsa-role-of-another-split',
  'aws-identity-types-differ',
  'plaintext-flight-endpoint',
  'reader-namespace-undescribed',
  'reader-cross-region',
  'gke-load-balancer-region',
  'cloud-run-all-traffic-egress',
  'spicepodset-owner-rollout',
  'spicepodset-node-spread',
  'spicepodset-pod-security',
  'flight-load-balancer-cloud',
  'ecr-pull-secret-expiry',
  'ecr-image-off-eks',
] as const;

function acknowledged(spec: AnySplitSpec, findings: Findings): ReadonlySet<string> {
  const ids = spec.acknowledgedWarnings ?? [];
  if (!Array.isArray(ids)) {
    findings.problem('acknowledgedWarnings', `${quote(ids)} is not a list`, "list warning ids, e.g. ['no-hot-swap']");
    return new Set();
  }
  ids.forEach((id, i) => {
    if (!(SPLIT_WARNING_IDS as readonly string[]).includes(id)) {
      const near = typeof id === 'string' ? didYouMean(id, SPLIT_WARNING_IDS) : undefined;
      findings.problem(`acknowledgedWarnings[${i}]`, `${quote(id)} is not a warning of this library`, near ? `did you mean '${near}'?` : `use one of ${SPLIT_WARNING_IDS.join(', ')}`);
    }
  });
  return new Set(ids);
}

function resolveChecked(spec: AnySplitSpec, findings: Findings): ResolvedSplit | undefined {
  checkSplitKeys(spec, findings);
  const name = checkNames(spec, findings);
  const namespace = spec.namespace ?? name;
  // A split with its own writer cluster and store; undefined when the writer is a Spice Cloud app.
  const own = isSpiceCloudSplit(spec) ? undefined : spec;
  const spiceCloud = own === undefined;
  // What the types leave out of a Spice Cloud split may still come from JavaScript or a YAML file.
  if (spiceCloud) checkSpiceCloudSplit(spec as unknown as Parameters<typeof checkSpiceCloudSplit>[0], findings);
  const image = resolveSpiceImage(spec.image, findings, !spiceCloud);
  const store = own && resolveSnapshotStore(own.store, name, findings);
  const datasets = resolveDatasets(spec, spiceCloud, findings);
  const retention = resolveRetention(own?.retention, findings);
  const writerSettings = resolveWriterSettings(spec.writer, name, namespace, image, findings);
  const readerSettings = resolveReaderSettings(spec.reader, findings);
  checkReaderHotSwap(image, readerSettings, findings);
  const readerForms = planReaderForms(datasets, image, store, readerSettings, findings);
  checkReaderStore(image, store, readerForms, spec.reader?.bootstrapOnFailure !== undefined, findings);
  warnQuietDatasets(datasets, findings);
  checkS3SourcesOffAws(datasets, store, findings);
  checkAbfsSourcesAuth(datasets, store, findings);
  // A Spice Cloud app's volumes are sized in Spice Cloud.
  const writer = { ...writerSettings, storageSize: own ? writerStorageSize(own.writer?.storageSize, datasets, findings, own.upgradeFrom !== undefined) : '0' };
  const reader = { ...readerSettings, localDisk: readerLocalDisk(spec.reader?.localDisk, datasets, findings), localDiskGiven: spec.reader?.localDisk !== undefined };
  const quiet = acknowledged(spec, findings);
  // Only an upgrade check compares with the lock.
  const lockable = own?.upgradeFrom !== undefined && store && findings.problems.length === 0;
  const locked = lockable ? lockResolvedSplit({ name, namespace, store, datasets, writer }) : undefined;
  if (own) checkUpgrade(own, locked, findings);
  const warnings = findings.warnings.filter((warning) => !quiet.has(warning.id));
  if (findings.problems.length > 0 || (!store && !spiceCloud)) return undefined;
  return { name, namespace, image, store, datasets, readerForms, retention, writer, reader, warnings, acknowledgedWarnings: quiet };
}

/** The split's name for messages, even when it is missing or invalid. */
export function splitNameOf(spec: unknown): string {
  const name = (spec as SplitSpec | undefined)?.name;
  return typeof name === 'string' && name ? name : '<unnamed>';
}

/**
 * Checks a split description without throwing: every problem and unacknowledged warning goes
 * into `findings` (whose paths may be rooted, e.g. at `split`). Returns the resolved split when
 * the description has no problem.
 */
export function checkResolvedSplit(spec: AnySplitSpec, findings: Findings): ResolvedSplit | undefined {
  if (!spec || typeof spec !== 'object') {
    findings.problem(ROOT_PATH, `${quote(spec)} is not a split description`, 'pass an object with name, store and datasets');
    return undefined;
  }
  const own = new Findings(findings.isLateBound);
  const split = resolveChecked(spec, own);
  for (const problem of own.problems) findings.problem(problem.path, problem.message, problem.fix);
  for (const warning of split?.warnings ?? []) findings.warn(warning.id, warning.path, warning.message);
  return split;
}

/**
 * Checks a split description, reporting every problem at once, and applies every default.
 *
 * @throws SplitValidationError listing each problem with its property path, value and fix
 */
export function resolveSplit(spec: AnySplitSpec): ResolvedSplit {
  const findings = new Findings();
  const split = checkResolvedSplit(spec, findings);
  if (!split) throw new SplitValidationError(splitNameOf(spec), findings.problems);
  return split;
}

/** Sizes of both tiers and of the bucket, for capacity planning and the adapters. */
export interface TierSizing {
  /** The writer cluster; undefined when the writer is a Spice Cloud app (sized in Spice Cloud). */
  readonly writer?: {
    readonly replicas: number;
    /** Replicas that upload snapshots: always exactly one. */
    readonly snapshotOwners: 1;
    /** Replicas that only bootstrap from snapshots and serve queries. */
    readonly queryReplicas: number;
    readonly resources: ResolvedWriter['resources'];
    readonly storageSize: string;
  };
  readonly reader: { readonly resources: ResolvedReader['resources']; readonly localDisk: string };
  /** The snapshot bucket; undefined when the writer is a Spice Cloud app (the split has no bucket). */
  readonly bucket?: BucketEstimate;
}

/** Sizing of a resolved split. */
export function tierSizing(split: ResolvedSplit): TierSizing {
  const reader = { resources: split.reader.resources, localDisk: split.reader.localDisk };
  if (split.writer.spiceCloud) return { reader };
  return {
    writer: {
      replicas: split.writer.replicas,
      snapshotOwners: 1,
      queryReplicas: split.writer.replicas - 1,
      resources: split.writer.resources,
      storageSize: split.writer.storageSize,
    },
    reader,
    bucket: bucketEstimate(split.datasets, split.retention),
  };
}
