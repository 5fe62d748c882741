import { ENGINE_FILES, PLACEMENTS } from './dataset';
import { AccelerationEngine, ReaderPlacement } from './dataset-spec';
import { Findings, quote, ReadWriteSplitError, ROOT_PATH } from './errors';
import { parseQuantity } from './quantity';
import { SnapshotCloud, STORE_NAME_FIELDS } from './snapshot-store';
import type { ResolvedSplit, StoredSplit } from './split';
import { compact } from './spicepod';
import { isMapping } from './mapping';

/**
 * A description lock: what running readers depend on in the last deployed description of a split,
 * as plain JSON committed beside the description. A new description is compared with it before
 * anything is synthesized (`SplitSpec.upgradeFrom`), so a change that running readers would not
 * survive is refused unless allowed. Defaults are written resolved (the engine, the namespace, the
 * store prefix), so a changed default is caught too.
 */
export interface DescriptionLock {
  /** Version of the lock format: 1. */
  readonly lockVersion: number;
  /** The split name. */
  readonly name: string;
  /** The namespace, resolved (the split name by default). */
  readonly namespace: string;
  /** Where the snapshots are: what readers restore from. */
  readonly store: LockedStore;
  /** Every dataset, in the description's order. */
  readonly datasets: readonly LockedDataset[];
  /**
   * The writers' volume claim template, resolved (the size derived from the datasets by default).
   *
   * @default - none (a lock written before it was recorded): the volumes are not compared
   */
  readonly writerVolume?: LockedWriterVolume;
}

/** The writers' volume claim template in a lock: Kubernetes refuses to change it in place. */
export interface LockedWriterVolume {
  /** The requested size, resolved (`writer.storageSize`, or derived from the datasets). */
  readonly size: string;
  /**
   * `writer.storageClass`.
   *
   * @default - none: the cluster's default storage class
   */
  readonly storageClass?: string;
}

/** The snapshot store's location in a lock. */
export interface LockedStore {
  readonly cloud: SnapshotCloud;
  /**
   * S3 or GCS bucket.
   *
   * @default - none: an Azure store is named by account and container
   */
  readonly bucket?: string;
  /**
   * Azure storage account.
   *
   * @default - none: S3 and GCS stores are named by their bucket
   */
  readonly account?: string;
  /**
   * Azure blob container.
   *
   * @default - none: S3 and GCS stores are named by their bucket
   */
  readonly container?: string;
  /** The folder of the split's snapshots, resolved (the split name by default). */
  readonly prefix: string;
  /**
   * The store's region: a bucket or account stays in the region it was created in.
   *
   * @default - none: locks written before the region was locked do not compare it
   */
  readonly region?: string;
}

/** What running readers depend on in one dataset. */
export interface LockedDataset {
  readonly name: string;
  readonly from: string;
  readonly readers: ReaderPlacement;
  /** The engine, resolved (`duckdb` by default). */
  readonly engine: AccelerationEngine;
  /**
   * `refresh.sql`.
   *
   * @default - none: the whole source is refreshed
   */
  readonly refreshSql?: string;
  /**
   * `timeColumn`.
   *
   * @default - none
   */
  readonly timeColumn?: string;
}

/** The lock format this library writes and reads. */
export const DESCRIPTION_LOCK_VERSION = 1;

/** The parts of a checked description that a lock records. */
export type LockedParts = Pick<StoredSplit, 'name' | 'namespace' | 'store' | 'datasets'> & {
  readonly writer: Pick<ResolvedSplit['writer'], 'storageSize' | 'storageClass'>;
};

/** The lock of a checked description (see `lockDescription` for one that is not checked yet). */
export function lockResolvedSplit(split: LockedParts): DescriptionLock {
  const { store } = split;
  return {
    lockVersion: DESCRIPTION_LOCK_VERSION,
    name: split.name,
    namespace: split.namespace,
    // The resolved store keeps an Azure container in `bucket`.
    store: store.cloud === 'azure'
      ? { cloud: store.cloud, account: store.account, container: store.bucket, prefix: store.prefix, region: store.region }
      : { cloud: store.cloud, bucket: store.bucket, prefix: store.prefix, region: store.region },
    datasets: split.datasets.map((dataset) => compact({
      name: dataset.name,
      from: dataset.from,
      readers: dataset.readers,
      engine: dataset.engine,
      refreshSql: dataset.refresh.sql,
      timeColumn: dataset.timeColumn,
    })),
    writerVolume: compact({ size: split.writer.storageSize, storageClass: split.writer.storageClass }),
  };
}

/** How to repair a lock: the same advice for every problem in one. */
export const REPAIR_LOCK = 'restore the lock from version control, or write it again from the last deployed description with writeDescriptionLock(file, spec)';

/**
 * How a lock field is checked: a string (required or not), one of some values, or by its own
 * function (`apart`).
 */
type FieldRule = 'string' | 'optional string' | readonly string[] | 'apart';

const ROOT_FIELDS: Readonly<Record<string, FieldRule>> = {
  lockVersion: 'apart', name: 'string', namespace: 'string', store: 'apart', datasets: 'apart', writerVolume: 'apart',
};
const WRITER_VOLUME_FIELDS: Readonly<Record<string, FieldRule>> = { size: 'string', storageClass: 'optional string' };
const DATASET_FIELDS: Readonly<Record<string, FieldRule>> = {
  name: 'string',
  from: 'string',
  readers: PLACEMENTS,
  engine: Object.keys(ENGINE_FILES),
  refreshSql: 'optional string',
  timeColumn: 'optional string',
};
const CLOUDS = Object.keys(STORE_NAME_FIELDS) as SnapshotCloud[];


function checkField(value: unknown, rule: Exclude<FieldRule, 'apart'>, key: string, findings: Findings): void {
  if (value === undefined) {
    if (rule !== 'optional string') findings.problem(key, 'is missing', REPAIR_LOCK);
  } else if (typeof value !== 'string' || (value === '' && rule !== 'optional string')) {
    findings.problem(key, `${quote(value)} is not ${rule === 'optional string' ? 'a string' : 'a non-empty string'}`, REPAIR_LOCK);
  } else if (typeof rule !== 'string' && !rule.includes(value)) {
    findings.problem(key, `${quote(value)} is not one of ${rule.map((allowed) => `'${allowed}'`).join(', ')}`, REPAIR_LOCK);
  }
}

/** Checks an object's fields against their rules, refusing unknown ones; false when it is no object. */
function checkFields(value: unknown, fields: Readonly<Record<string, FieldRule>>, what: string, findings: Findings): value is Record<string, unknown> {
  if (!isMapping(value)) {
    findings.problem(ROOT_PATH, `${quote(value)} is not ${what}`, REPAIR_LOCK);
    return false;
  }
  for (const key of Object.keys(value)) {
    if (!(key in fields)) findings.problem(key, `is not a field of ${what}`, `remove it, or ${REPAIR_LOCK}`);
  }
  for (const [key, rule] of Object.entries(fields)) {
    if (rule !== 'apart') checkField(value[key], rule, key, findings);
  }
  return true;
}

function checkWriterVolume(volume: unknown, findings: Findings): void {
  if (!checkFields(volume, WRITER_VOLUME_FIELDS, 'a locked writer volume', findings)) return;
  if (typeof volume.size === 'string' && volume.size !== '' && parseQuantity(volume.size) === undefined) {
    findings.problem('size', `${quote(volume.size)} is not a volume size`, REPAIR_LOCK);
  }
}

function checkVersion(version: unknown, findings: Findings): void {
  if (version === DESCRIPTION_LOCK_VERSION) return;
  const newer = typeof version === 'number' && version > DESCRIPTION_LOCK_VERSION;
  findings.problem(
    'lockVersion',
    `${quote(version)} is not a lock version this library reads (${DESCRIPTION_LOCK_VERSION})`,
    newer ? 'upgrade read-write-split to the version that wrote the lock' : REPAIR_LOCK,
  );
}

function checkStore(store: unknown, findings: Findings): void {
  const cloud = isMapping(store) && CLOUDS.includes(store.cloud as SnapshotCloud) ? store.cloud as SnapshotCloud : undefined;
  // With an unknown cloud, only the cloud is reported: which names belong is not known.
  const names: Record<string, FieldRule> = cloud
    ? Object.fromEntries(STORE_NAME_FIELDS[cloud].map((field) => [field, 'string']))
    : { bucket: 'optional string', account: 'optional string', container: 'optional string' };
  checkFields(store, { cloud: CLOUDS, ...names, prefix: 'string', region: 'optional string' }, 'a locked snapshot store', findings);
}

function checkDatasets(datasets: unknown, findings: Findings): void {
  if (!Array.isArray(datasets)) {
    findings.problem(ROOT_PATH, `${quote(datasets)} is not a list of datasets`, REPAIR_LOCK);
    return;
  }
  const firstIndex = new Map<unknown, number>();
  datasets.forEach((dataset, i) => {
    if (!checkFields(dataset, DATASET_FIELDS, 'a locked dataset', findings.under(`[${i}]`))) return;
    const first = firstIndex.get(dataset.name);
    if (first === undefined) firstIndex.set(dataset.name, i);
    else findings.problem(`[${i}].name`, `${quote(dataset.name)} is already the name of datasets[${first}]`, REPAIR_LOCK);
  });
}

/**
 * Checks that a value is a description lock this library reads, reporting every problem into
 * `findings` (rooted where the lock is, e.g. `upgradeFrom.lock` or the file's name).
 */
export function checkDescriptionLock(value: unknown, findings: Findings): value is DescriptionLock {
  const before = findings.problems.length;
  if (!checkFields(value, ROOT_FIELDS, 'a description lock', findings)) return false;
  checkVersion(value.lockVersion, findings);
  checkStore(value.store, findings.under('store'));
  checkDatasets(value.datasets, findings.under('datasets'));
  if (value.writerVolume !== undefined) checkWriterVolume(value.writerVolume, findings.under('writerVolume'));
  return findings.problems.length === before;
}

/**
 * Checks a parsed lock file (`JSON.parse` of it) and returns the lock.
 *
 * @param source where the lock came from, e.g. its file name: problems' paths start with it
 * @throws ReadWriteSplitError listing every problem, each naming the field and how to repair the lock
 */
export function parseDescriptionLock(json: unknown, source: string): DescriptionLock {
  const findings = new Findings(() => false, source);
  if (!checkDescriptionLock(json, findings)) throw new ReadWriteSplitError('Invalid description lock', findings.problems);
  return json;
}
