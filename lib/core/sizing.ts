import { ResolvedDataset, snapshotIntervalSeconds } from './dataset';
import { Findings, quote } from './errors';
import { formatBytes, parseQuantity, toDiskQuantity, toGibibytes } from './quantity';
import { ResolvedRetention } from './retention';

const GI = 2 ** 30;
const MIN_WRITER_STORAGE = 20 * GI;
const MIN_READER_DISK = 10 * GI;
/** A reader that restores nothing (every dataset delegated) keeps no acceleration files. */
const NOTHING_RESTORED_READER_DISK = GI;
const MAX_READER_DISK = 50 * GI;
/** Files need room for a second copy while a snapshot is downloaded or compacted. */
export const HEADROOM = 2;
/** DuckDB compaction makes snapshots 30-60% smaller (the seed); the estimate assumes the worst, 30%. */
const COMPACTED = 0.7;

/**
 * The bytes of the datasets whose size is known: a floor when some are unknown (a dataset of
 * unknown size must not make the others' sizes count for nothing).
 */
function knownSize(datasets: readonly ResolvedDataset[]): number {
  let total = 0;
  for (const dataset of datasets) total += dataset.expectedSizeBytes ?? 0;
  return total;
}

const MI = 2 ** 20;

/**
 * A size given as a disk: a quantity of at least 1Mi. Zero would render an emptyDir without a
 * limit that the scheduler counts as nothing (and an in-memory volume of 1Mi on Cloud Run).
 * Reports a problem and returns false otherwise.
 */
function checkDiskSize(given: unknown, path: string, findings: Findings, example: string): boolean {
  const bytes = typeof given === 'string' ? parseQuantity(given) : undefined;
  if (bytes === undefined) {
    findings.problem(path, `${quote(given)} is not a size`, `use a Kubernetes quantity, e.g. '${example}'`);
  } else if (bytes < MI) {
    findings.problem(path, `${quote(given)} is less than 1Mi`, `give the disk a size, e.g. '${example}'`);
  }
  return bytes !== undefined && bytes >= MI;
}

/** A size the description gives: kept as written, once it is a quantity. */
function givenSize(given: string, path: string, findings: Findings): string {
  checkDiskSize(given, path, findings, '20Gi');
  return given;
}

function derivedSize(datasets: readonly ResolvedDataset[], floor: number): string {
  return toGibibytes(Math.max(floor, knownSize(datasets) * HEADROOM));
}

/** The reader's disk derived from the datasets it restores: twice their size, at least the floor (a smaller one when it restores nothing). */
function derivedReaderDisk(accelerated: readonly ResolvedDataset[]): string {
  return derivedSize(accelerated, accelerated.length === 0 ? NOTHING_RESTORED_READER_DISK : MIN_READER_DISK);
}

/**
 * While a snapshot uploads, spiced keeps the file, a full temporary copy and, with compaction, a
 * compacted copy on the same volume: the largest dataset needs about three times its size.
 */
const UPLOAD_COPIES = 2;

/** The rule that sets a derived writer volume: the floor, files x HEADROOM, or files plus an upload's copies. */
export type WriterStorageBasis = 'floor' | 'files-headroom' | 'upload-copies';

/** The writer volume derived from the datasets, before rounding up to whole gibibytes. */
export interface WriterStorageDerivation {
  readonly bytes: number;
  readonly basis: WriterStorageBasis;
  /** Total of the file-backed datasets' known expected sizes (a floor when some are unknown). */
  readonly filesBytes: number;
  /** Largest known expected size of a file-backed dataset. */
  readonly largestBytes: number;
}

/** Derives the writer volume: every file-backed dataset lives there, plus an upload's copies. */
export function deriveWriterStorage(datasets: readonly ResolvedDataset[]): WriterStorageDerivation {
  const files = datasets.filter((d) => d.engineFile);
  const filesBytes = knownSize(files);
  const largestBytes = Math.max(0, ...files.map((d) => d.expectedSizeBytes ?? 0));
  const rules: [number, WriterStorageBasis][] = [
    [MIN_WRITER_STORAGE, 'floor'],
    [filesBytes * HEADROOM, 'files-headroom'],
    [filesBytes + UPLOAD_COPIES * largestBytes, 'upload-copies'],
  ];
  const [bytes, basis] = rules.reduce((best, rule) => (rule[0] > best[0] ? rule : best));
  return { bytes, basis, filesBytes, largestBytes };
}

/**
 * The archiver's scratch disk. It holds every accelerated dataset and uploads each, so it needs
 * the readers' disk or, when more, what an upload takes on one volume (the files, and the largest
 * one's copies: `UPLOAD_COPIES`).
 */
export function archiverDisk(readerLocalDisk: string, datasets: readonly ResolvedDataset[]): string {
  const archived = datasets.filter((d) => d.readers === 'accelerated' && d.engineFile);
  const largest = Math.max(0, ...archived.map((d) => d.expectedSizeBytes ?? 0));
  const upload = knownSize(archived) + UPLOAD_COPIES * largest;
  return upload > (parseQuantity(readerLocalDisk) ?? 0) ? toGibibytes(upload) : readerLocalDisk;
}

/**
 * Size of each writer's persistent volume, as given or derived. A description checked against the
 * lock of a deployed one (`locked`) keeps the size the lock holds: the warning about datasets of
 * unknown size, whose advice would change it, is for descriptions not deployed yet.
 */
export function writerStorageSize(given: string | undefined, datasets: readonly ResolvedDataset[], findings: Findings, locked = false): string {
  if (given !== undefined) {
    const size = givenSize(given, 'writer.storageSize', findings);
    warnFilesOutgrowVolume(size, deriveWriterStorage(datasets).filesBytes, findings);
    return size;
  }
  const size = toGibibytes(deriveWriterStorage(datasets).bytes);
  if (!locked) warnUnsizedFiles(size, datasets, findings);
  return size;
}

/**
 * A given volume smaller than the files of the file-backed datasets alone (by their `expectedSize`):
 * the writers run out of disk. Often a deployed size kept while datasets grew, as an upgrade check
 * asks for, so the fix is growing the deployed volumes.
 */
function warnFilesOutgrowVolume(size: string, filesBytes: number, findings: Findings): void {
  const bytes = parseQuantity(size);
  if (bytes === undefined || filesBytes <= bytes) return;
  findings.warn(
    'writer-volume-small',
    'writer.storageSize',
    `${size} is less than the files of the file-backed datasets (${toGibibytes(filesBytes)} by their expectedSize, before an upload's copies): the writers would run out of disk; `
      + 'grow the deployed volumes (expand each writer PVC, docs/upgrades.md) and set writer.storageSize to their new size',
  );
}

/**
 * A derived volume that leaves out file-backed datasets of unknown size may be too small, and a
 * StatefulSet's claim template cannot grow later: say so while it can still be set.
 */
function warnUnsizedFiles(size: string, datasets: readonly ResolvedDataset[], findings: Findings): void {
  const unsized = datasets.filter((d) => d.engineFile && d.expectedSizeBytes === undefined).map((d) => d.name);
  if (unsized.length === 0) return;
  findings.warn(
    'writer-volume-unsized',
    'writer.storageSize',
    `is derived as ${size}, leaving out ${unsized.join(', ')} (no expectedSize), whose files live on the same volume; a StatefulSet's volume claim template cannot change once deployed, so set writer.storageSize, or expectedSize on ${unsized.length === 1 ? 'it' : 'them'}`,
  );
}

/** Size limit of the reader's local disk: only accelerated datasets are restored there. */
export function readerLocalDisk(given: string | undefined, datasets: readonly ResolvedDataset[], findings: Findings): string {
  const accelerated = datasets.filter((d) => d.readers === 'accelerated');
  const disk = given === undefined ? derivedReaderDisk(accelerated) : givenSize(given, 'reader.localDisk', findings);
  if (given !== undefined) warnReaderDiskSmall(disk, accelerated, 'reader.localDisk', 'leave it out to derive it', findings);
  // A derived disk has no line in the description: the message says where it comes from.
  const what = given === undefined ? `is derived as ${disk} per reader from the expectedSize of the accelerated datasets, which` : `${disk} per reader`;
  warnLargeReaderDisk(disk, what, 'reader.localDisk', 'giving each application only the datasets it reads', findings);
  return disk;
}

function warnLargeReaderDisk(disk: string, what: string, path: string, narrower: string, findings: Findings): void {
  const bytes = parseQuantity(disk);
  if (bytes === undefined || bytes <= MAX_READER_DISK) return;
  findings.warn(
    'large-reader-disk',
    path,
    `${what} is beyond the seed's read-instance shape (10-50Gi): consider delegating the largest datasets (readers: 'delegated'), or ${narrower}`,
  );
}

/**
 * A disk given smaller than twice the accelerated datasets it restores (by their expectedSize):
 * spiced downloads a new snapshot beside the current file, and a restore that fills the disk fails.
 * A warning: expectedSize is an estimate.
 */
function warnReaderDiskSmall(disk: string, accelerated: readonly ResolvedDataset[], path: string, leaveOut: string, findings: Findings): void {
  const bytes = parseQuantity(disk);
  const known = knownSize(accelerated);
  if (bytes === undefined || known * HEADROOM <= bytes) return;
  findings.warn(
    'reader-disk-small',
    path,
    `${disk} is less than twice the accelerated datasets the reader restores (${formatBytes(known)} by their expectedSize): spiced downloads a new snapshot beside the current file, so restores would fail once the disk fills; `
      + `raise it to at least ${toDiskQuantity(known * HEADROOM)}, ${leaveOut}, or correct the datasets' expectedSize`,
  );
}

/**
 * A reader's own disk (`localDisk` of one reader): a quantity of at least 1Mi, and (warnings, once
 * `selected` names the split's datasets) at least twice the known size of the ones it restores,
 * and within the seed's read-instance shape.
 */
export function checkGivenReaderDisk(given: unknown, datasets: readonly ResolvedDataset[], selected: readonly string[] | undefined, path: string, findings: Findings, selectedValid = true): void {
  if (!checkDiskSize(given, path, findings, '4Gi') || !selectedValid) return;
  const disk = given as string;
  warnReaderDiskSmall(disk, datasets.filter((d) => d.readers === 'accelerated' && (selected === undefined || selected.includes(d.name))), path, "leave it out to use the description's reader.localDisk or the derived size", findings);
  warnLargeReaderDisk(disk, disk, path, 'giving this application only the datasets it reads', findings);
}

/** Rough storage the bucket holds in steady state, for capacity planning. */
export interface BucketEstimate {
  /** Snapshots written per day, all datasets together; undefined when a schedule is not an interval. */
  readonly snapshotsPerDay?: number;
  /** Bytes held by refresh-triggered snapshots; undefined when sizes or schedules are unknown. */
  readonly refreshBytes?: number;
  /** Bytes held by the daily archive; undefined when sizes are unknown or no archive is kept. */
  readonly archiveBytes?: number;
}

/** Snapshots a dataset writes a day: 0 when not snapshotted, undefined when not on an interval (cron). */
export function snapshotsPerDay(dataset: ResolvedDataset): number | undefined {
  if (!dataset.snapshots) return 0;
  const seconds = snapshotIntervalSeconds(dataset);
  return seconds === undefined ? undefined : Math.ceil(86400 / seconds);
}

/** Estimated size of one snapshot of a dataset (compacted when compaction applies); undefined when its size is unknown. */
export function snapshotBytes(dataset: ResolvedDataset): number | undefined {
  if (dataset.expectedSizeBytes === undefined) return undefined;
  return dataset.expectedSizeBytes * (dataset.snapshots?.compaction ? COMPACTED : 1);
}

/**
 * Estimates what the bucket holds: refresh frequency x datasets x retention (the seed's rule),
 * assuming every triggered snapshot is written (policy `always`, the worst case).
 */
export function bucketEstimate(datasets: readonly ResolvedDataset[], retention: ResolvedRetention): BucketEstimate {
  const accelerated = datasets.filter((d) => d.snapshots);
  let perDay: number | undefined = 0;
  let refreshBytes: number | undefined = 0;
  let archiveBytes: number | undefined = retention.archiveDays === undefined ? undefined : 0;
  for (const dataset of accelerated) {
    const count = snapshotsPerDay(dataset);
    const bytes = snapshotBytes(dataset);
    perDay = count === undefined || perDay === undefined ? undefined : perDay + count;
    refreshBytes = count === undefined || bytes === undefined || refreshBytes === undefined ? undefined : refreshBytes + count * bytes * retention.refreshDays;
    if (archiveBytes !== undefined) archiveBytes = bytes === undefined ? undefined : archiveBytes + bytes * (retention.archiveDays ?? 0);
  }
  return { snapshotsPerDay: perDay, refreshBytes, archiveBytes };
}

/**
 * The local disk of a reader of `datasets` (every dataset when undefined): its own `localDisk`
 * when given, then `reader.localDisk` when the description gives it; otherwise derived from the
 * accelerated datasets this reader restores, so a reader of a few small datasets does not carry
 * the disk of the split's largest.
 */
export function readerLocalDiskFor(
  reader: { readonly localDisk: string; readonly localDiskGiven?: boolean }, datasets: readonly ResolvedDataset[], selected: readonly string[] | undefined, own?: string,
): string {
  if (own !== undefined) return own;
  if (reader.localDiskGiven !== false || selected === undefined) return reader.localDisk;
  return derivedReaderDisk(datasets.filter((d) => d.readers === 'accelerated' && selected.includes(d.name)));
}
