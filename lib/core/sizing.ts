import { ResolvedDataset, snapshotIntervalSeconds } from './dataset';
import { Findings, quote } from './errors';
import { parseQuantity, toGibibytes } from './quantity';
import { ResolvedRetention } from './retention';

const GI = 2 ** 30;
const MIN_WRITER_STORAGE = 20 * GI;
const MIN_READER_DISK = 10 * GI;
const MAX_READER_DISK = 50 * GI;
/** Files need room for a second copy while a snapshot is downloaded or compacted. */
const HEADROOM = 2;
/** DuckDB compaction makes snapshots 30-60% smaller (the seed); the estimate assumes the worst, 30%. */
const COMPACTED = 0.7;

/** Sum of the expected sizes, or undefined when any is unknown. */
function totalSize(datasets: readonly ResolvedDataset[]): number | undefined {
  let total = 0;
  for (const dataset of datasets) {
    if (dataset.expectedSizeBytes === undefined) return undefined;
    total += dataset.expectedSizeBytes;
  }
  return total;
}

function sized(given: string | undefined, datasets: readonly ResolvedDataset[], floor: number, path: string, findings: Findings): string {
  if (given !== undefined) {
    if (parseQuantity(given) === undefined) findings.problem(path, `${quote(given)} is not a size`, "use a Kubernetes quantity, e.g. '20Gi'");
    return given;
  }
  return toGibibytes(Math.max(floor, (totalSize(datasets) ?? 0) * HEADROOM));
}

/**
 * While a snapshot uploads, spiced keeps the file, a full temporary copy and, with compaction, a
 * compacted copy on the same volume: the largest dataset needs about three times its size.
 */
const UPLOAD_COPIES = 2;

/** Size of each writer's persistent volume: every file-backed dataset lives there, plus an upload's copies. */
export function writerStorageSize(given: string | undefined, datasets: readonly ResolvedDataset[], findings: Findings): string {
  const files = datasets.filter((d) => d.engineFile);
  if (given !== undefined) return sized(given, files, MIN_WRITER_STORAGE, 'writer.storageSize', findings);
  const total = totalSize(files) ?? 0;
  const largest = Math.max(0, ...files.map((d) => d.expectedSizeBytes ?? 0));
  return toGibibytes(Math.max(MIN_WRITER_STORAGE, total * HEADROOM, total + UPLOAD_COPIES * largest));
}

/** Size limit of the reader's local disk: only accelerated datasets are restored there. */
export function readerLocalDisk(given: string | undefined, datasets: readonly ResolvedDataset[], findings: Findings): string {
  const disk = sized(given, datasets.filter((d) => d.readers === 'accelerated'), MIN_READER_DISK, 'reader.localDisk', findings);
  const bytes = parseQuantity(disk);
  if (bytes !== undefined && bytes > MAX_READER_DISK) {
    findings.warn(
      'large-reader-disk',
      'reader.localDisk',
      `${disk} per reader is beyond the seed's read-instance shape (10-50Gi): consider delegating the largest datasets`,
    );
  }
  return disk;
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

function snapshotsPerDay(dataset: ResolvedDataset): number | undefined {
  if (!dataset.snapshots) return 0;
  const seconds = snapshotIntervalSeconds(dataset);
  return seconds === undefined ? undefined : Math.ceil(86400 / seconds);
}

function snapshotBytes(dataset: ResolvedDataset): number | undefined {
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
