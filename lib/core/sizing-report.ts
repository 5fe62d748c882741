import { ResolvedDataset } from './dataset';
import { formatBytes, parseQuantity, toGibibytes } from './quantity';
import { bucketEstimate, deriveWriterStorage, HEADROOM, snapshotBytes, snapshotsPerDay, WriterStorageBasis } from './sizing';
import { ResolvedSplit } from './split';
import {
  BucketReport, ByteFigure, CountFigure, CpuReport, KnownBytes, LargestDataset, MemoryReport, ReaderReport, SizingReport, SizingWarning, UnknownCause, UnknownFigure, WriterReport, WriterStorageReport,
} from './sizing-report-model';

/**
 * The seed's read instance pairs 512Mi-4Gi of memory with 10-50Gi of disk: working sets (half
 * the disk, see HEADROOM) of 6-10 times the memory limit, which file mode serves by paging from
 * disk. Only past that does the report warn.
 */
const READER_PAGING_RATIO = 10;


const known = (bytes: number): KnownBytes => ({ known: true, bytes, human: formatBytes(bytes) });

/** A quantity of a resolved split: resolution has checked it. */
function quantity(value: string): number {
  const parsed = parseQuantity(value);
  if (parsed === undefined) throw new Error(`'${value}' is not a quantity; pass a split from resolveSplit`);
  return parsed;
}

function unknown(causes: readonly UnknownCause[]): UnknownFigure {
  const unique = causes.filter((cause, i) => causes.findIndex((other) => other.path === cause.path) === i);
  return { known: false, causes: unique, human: `unknown: ${unique.map((cause) => `${cause.dataset} (${cause.reason})`).join(', ')}` };
}

/** A total, known only when every part is, and the known parts' sum: a lower bound for warnings. */
function total(parts: readonly ByteFigure[]): { figure: ByteFigure; atLeast: number } {
  const causes = parts.flatMap((part) => (part.known ? [] : part.causes));
  const atLeast = parts.reduce((sum, part) => sum + (part.known ? part.bytes : 0), 0);
  return { figure: causes.length > 0 ? unknown(causes) : known(atLeast), atLeast };
}

/** A dataset with its index in the description, for paths. */
interface Indexed {
  readonly dataset: ResolvedDataset;
  readonly path: string;
}

const sizeCause = ({ dataset, path }: Indexed): UnknownCause => ({ dataset: dataset.name, path: `${path}.expectedSize`, reason: 'no expectedSize' });

const expectedSize = (item: Indexed): ByteFigure => sizeFigure(item, item.dataset.expectedSizeBytes);
const snapshotSize = (item: Indexed): ByteFigure => sizeFigure(item, snapshotBytes(item.dataset));

function sizeFigure(item: Indexed, bytes: number | undefined): ByteFigure {
  return bytes === undefined ? unknown([sizeCause(item)]) : known(bytes);
}

/** The item with the largest known size, if any size is known. */
function largestOf(items: readonly Indexed[], bytesOf: (dataset: ResolvedDataset) => number | undefined): Indexed | undefined {
  return items.reduce<Indexed | undefined>((best, item) => ((bytesOf(item.dataset) ?? 0) > (best ? (bytesOf(best.dataset) ?? 0) : 0) ? item : best), undefined);
}

function rateCause({ dataset, path }: Indexed): UnknownCause {
  if (dataset.snapshots?.trigger === 'stream_batches') return { dataset: dataset.name, path: `${path}.snapshots.threshold`, reason: 'snapshots after a count of batches, not an interval' };
  if (dataset.refresh.cron !== undefined) return { dataset: dataset.name, path: `${path}.refresh.cron`, reason: 'refreshes on a cron schedule' };
  return { dataset: dataset.name, path: `${path}.refresh.checkInterval`, reason: 'has no refresh interval' };
}

function rate(item: Indexed): CountFigure {
  const count = snapshotsPerDay(item.dataset);
  return count === undefined ? unknown([rateCause(item)]) : { known: true, count };
}

function cpu(resources: ResolvedSplit['writer']['resources']): CpuReport {
  const { request, limit } = resources.cpu;
  return { request, limit, requestCores: quantity(request), limitCores: quantity(limit) };
}

function memory(resources: ResolvedSplit['writer']['resources']): MemoryReport {
  return { request: known(quantity(resources.memory.request)), limit: known(quantity(resources.memory.limit)) };
}

function writerStorage(split: ResolvedSplit, items: readonly Indexed[]): WriterStorageReport {
  const derivation = deriveWriterStorage(split.datasets);
  const size = known(quantity(split.writer.storageSize));
  const leftOut = items.filter(({ dataset }) => dataset.engineFile && dataset.expectedSizeBytes === undefined).map(sizeCause);
  // sizing.ts counts the sizes it knows: the total is a floor while any is missing.
  const files = leftOut.length > 0 ? `known ${formatBytes(derivation.filesBytes)}` : formatBytes(derivation.filesBytes);
  const words: Record<WriterStorageBasis, string> = {
    'floor': `the ${formatBytes(derivation.bytes)} floor`,
    'files-headroom': `the file-backed datasets' ${files} x ${HEADROOM}, for a second copy while a snapshot downloads or compacts`,
    'upload-copies': `the file-backed datasets' ${files} plus a temporary and a compacted copy of the largest (${formatBytes(derivation.largestBytes)}) while it uploads`,
  };
  // A given size equal to the derived one (rounded up to whole gibibytes) changes nothing: report the rule.
  const given = size.bytes !== quantity(toGibibytes(derivation.bytes));
  const explanation = given ? `given in writer.storageSize; the library would derive ${words[derivation.basis]}` : words[derivation.basis];
  const note = leftOut.length > 0 ? `; leaves out ${leftOut.map((cause) => cause.dataset).join(', ')} (no expectedSize)` : '';
  return { size, basis: given ? 'given' : derivation.basis, explanation: explanation + note, derived: known(derivation.bytes), leftOut };
}

function largestDataset(items: readonly Indexed[]): LargestDataset | UnknownFigure {
  const missing = items.filter(({ dataset }) => dataset.expectedSizeBytes === undefined);
  const largest = largestOf(items, (dataset) => dataset.expectedSizeBytes);
  if (missing.length > 0 || !largest) return unknown(missing.map(sizeCause));
  const { name, engine, engineFile, expectedSizeBytes } = largest.dataset;
  return { ...known(expectedSizeBytes ?? 0), name, engine, inMemory: engineFile === undefined };
}

function writerReport(split: ResolvedSplit, items: readonly Indexed[]): WriterReport {
  const inMemory = items.filter(({ dataset }) => !dataset.engineFile);
  return {
    replicas: split.writer.replicas,
    snapshotOwners: 1,
    queryReplicas: split.writer.replicas - 1,
    cpu: cpu(split.writer.resources),
    memory: memory(split.writer.resources),
    storage: writerStorage(split, items),
    largestDataset: largestDataset(items),
    inMemory: { datasets: inMemory.map(({ dataset }) => dataset.name), total: total(inMemory.map(expectedSize)).figure },
  };
}

/**
 * Writer memory floors, warned on known sizes only (a missing size is never guessed). Each replica
 * accelerates every dataset. `arrow` datasets live wholly in memory, so a limit below their total
 * cannot hold them. File-backed datasets page from disk, so their rule is the seed's: memory sized
 * for the largest accelerated dataset. Both are floors: a full refresh briefly holds old and new
 * data and queries need memory of their own, so passing them does not prove the limit enough.
 */
function writerWarnings(items: readonly Indexed[], limit: KnownBytes): SizingWarning[] {
  const warnings: SizingWarning[] = [];
  const inMemory = items.filter(({ dataset }) => !dataset.engineFile);
  const { atLeast, figure } = total(inMemory.map(expectedSize));
  if (atLeast > limit.bytes) {
    const names = inMemory.map(({ dataset }) => dataset.name).join(', ');
    warnings.push({
      id: 'writer-memory-in-memory-datasets',
      path: 'writer.resources.memory.limit',
      message: `${limit.human} is less than the in-memory (arrow) datasets ${names} hold on every writer replica (${figure.known ? '' : 'at least '}${formatBytes(atLeast)}): the writers run out of memory`,
      fix: `raise writer.resources.memory.limit above ${toGibibytes(atLeast)} with room for queries and refreshes, or give these datasets a file-backed engine ('duckdb')`,
    });
  }
  const largest = largestOf(items.filter(({ dataset }) => dataset.engineFile), (dataset) => dataset.expectedSizeBytes);
  const largestBytes = largest?.dataset.expectedSizeBytes ?? 0;
  if (largest && largestBytes > limit.bytes) {
    warnings.push({
      id: 'writer-memory-largest-dataset',
      path: 'writer.resources.memory.limit',
      message: `${limit.human} is less than the largest file-backed dataset, ${largest.dataset.name} (${formatBytes(largestBytes)} at ${largest.path}.expectedSize), and the seed sizes writer memory for the largest accelerated dataset: ${largest.dataset.engine} pages from disk, so writers keep running, but refreshes and queries of it slow down or fail`,
      fix: `raise writer.resources.memory.limit to at least ${toGibibytes(largestBytes)}, or narrow ${largest.dataset.name} (refresh.sql or refresh.dataWindow)`,
    });
  }
  return warnings;
}

function readerReport(split: ResolvedSplit, items: readonly Indexed[]): ReaderReport {
  const accelerated = items.filter(({ dataset }) => dataset.readers === 'accelerated');
  const workingSet = total(accelerated.map(snapshotSize)).figure;
  return {
    cpu: cpu(split.reader.resources),
    memory: memory(split.reader.resources),
    localDisk: known(quantity(split.reader.localDisk)),
    accelerated: accelerated.map(({ dataset }) => dataset.name),
    workingSet,
    diskNeeded: workingSet.known ? known(workingSet.bytes * HEADROOM) : workingSet,
    delegated: {
      flightEndpoint: split.writer.flightEndpoint,
      ...(split.writer.externalFlightEndpoint === split.writer.flightEndpoint ? {} : { externalFlightEndpoint: split.writer.externalFlightEndpoint }),
      datasets: items.filter(({ dataset }) => dataset.readers === 'delegated').map(({ dataset }) => dataset.name),
    },
  };
}

/** Reader risks, on the known part of the working set (a lower bound when sizes are missing). */
function readerWarnings(items: readonly Indexed[], reader: ReaderReport): SizingWarning[] {
  const warnings: SizingWarning[] = [];
  const accelerated = items.filter(({ dataset }) => dataset.readers === 'accelerated');
  const { atLeast, figure } = total(accelerated.map(snapshotSize));
  const bound = figure.known ? '' : 'at least ';
  const largest = `${largestOf(accelerated, snapshotBytes)?.dataset.name} (the largest)`;
  if (atLeast * HEADROOM > reader.localDisk.bytes) {
    warnings.push({
      id: 'reader-disk-working-set',
      path: 'reader.localDisk',
      message: `${reader.localDisk.human} cannot hold the restored files: the working set is ${bound}${formatBytes(atLeast)} and spiced downloads a new snapshot beside the current file, so it needs ${bound}${formatBytes(atLeast * HEADROOM)}`,
      fix: `raise reader.localDisk to at least ${toGibibytes(atLeast * HEADROOM)} (or remove it to let the library size it), or set readers: 'delegated' on ${largest}`,
    });
  }
  const limit = reader.memory.limit;
  if (atLeast > READER_PAGING_RATIO * limit.bytes) {
    warnings.push({
      id: 'reader-memory-working-set',
      path: 'reader.resources.memory.limit',
      message: `${limit.human} is less than 1/${READER_PAGING_RATIO} of the working set (${bound}${formatBytes(atLeast)}): file mode pages from disk, so readers work, but most queries read from disk; the seed's read instance stays within ${READER_PAGING_RATIO}x`,
      fix: `raise reader.resources.memory.limit to at least ${toGibibytes(atLeast / READER_PAGING_RATIO)}, or set readers: 'delegated' on ${largest}`,
    });
  }
  return warnings;
}

function missingSizeWarning({ dataset, path }: Indexed): SizingWarning {
  const figures = dataset.readers === 'accelerated' ? "the reader's working set, the bucket estimate and the writer sizes" : 'the writer sizes';
  return {
    id: 'unknown-expected-size',
    path: `${path}.expectedSize`,
    message: `${dataset.name} has no expected size: ${figures} are unknown or leave it out`,
    fix: `set ${path}.expectedSize to the size of its acceleration file, e.g. '4Gi'`,
  };
}

function bucketReport(split: ResolvedSplit, items: readonly Indexed[]): BucketReport {
  const snapshotted = items.filter(({ dataset }) => dataset.snapshots);
  const datasets = snapshotted.map((item) => ({
    name: item.dataset.name,
    engine: item.dataset.engine,
    compaction: item.dataset.snapshots?.compaction ?? false,
    expectedSize: expectedSize(item),
    snapshotSize: snapshotSize(item),
    snapshotsPerDay: rate(item),
  }));
  const rateCauses = datasets.flatMap((d) => (d.snapshotsPerDay.known ? [] : d.snapshotsPerDay.causes));
  const sizeCauses = datasets.flatMap((d) => (d.snapshotSize.known ? [] : d.snapshotSize.causes));
  const estimate = bucketEstimate(split.datasets, split.retention);
  const bytes = (value: number | undefined, causes: readonly UnknownCause[]) => (value === undefined ? unknown(causes) : known(value));
  const { refreshDays, archiveDays } = split.retention;
  return {
    snapshotsPerDay: estimate.snapshotsPerDay === undefined ? unknown(rateCauses) : { known: true, count: estimate.snapshotsPerDay },
    refresh: { days: refreshDays, bytes: bytes(estimate.refreshBytes, [...sizeCauses, ...rateCauses]) },
    archive: archiveDays === undefined ? undefined : { days: archiveDays, bytes: bytes(estimate.archiveBytes, sizeCauses) },
    datasets,
  };
}

function signals(reader: ReaderReport, bucket: BucketReport | undefined): string[] {
  const delegated = reader.delegated.datasets;
  return [
    ...(delegated.length > 0 && bucket ? [`a high delegation rate (readers querying ${delegated.join(', ')} on the writers) is a signal to accelerate more of them on readers`] : []),
    ...(bucket && bucket.datasets.length > 0 ? ['a growing snapshot age is a signal that the writers fall behind on refresh'] : []),
  ];
}

/** Sizes of a resolved split's writer cluster, read sidecars and bucket, with the risks they carry. */
export function sizingReport(split: ResolvedSplit): SizingReport {
  const items = split.datasets.map((dataset, i) => ({ dataset, path: `datasets[${i}]` }));
  if (split.writer.spiceCloud) {
    // Readers of a Spice Cloud app restore nothing: no writer, bucket or dataset size to report on.
    const reader = readerReport(split, items);
    return { split: split.name, spiceCloud: split.writer.spiceCloud.endpoint, reader, warnings: [], signals: signals(reader, undefined) };
  }
  const writer = writerReport(split, items);
  const reader = readerReport(split, items);
  const bucket = bucketReport(split, items);
  const warnings = [
    ...writerWarnings(items, writer.memory.limit),
    ...readerWarnings(items, reader),
    ...items.filter(({ dataset }) => dataset.expectedSizeBytes === undefined).map(missingSizeWarning),
  ];
  return { split: split.name, writer, reader, bucket, warnings, signals: signals(reader, bucket) };
}
