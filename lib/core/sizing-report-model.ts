import { AccelerationEngine } from './dataset-spec';
import { WriterStorageBasis } from './sizing';

/** A byte count: exact bytes and a rounded string for people (`2.8Gi`). */
export interface KnownBytes {
  readonly known: true;
  readonly bytes: number;
  readonly human: string;
}

/** A count that is known. */
export interface KnownCount { readonly known: true; readonly count: number }

/** One dataset that makes a figure unknown, and the description path that would make it known. */
export interface UnknownCause {
  readonly dataset: string;
  /** E.g. `datasets[2].expectedSize` or `datasets[0].refresh.cron`. */
  readonly path: string;
  readonly reason: string;
}

/** A figure that cannot be computed: it is never reported as 0. */
export interface UnknownFigure {
  readonly known: false;
  readonly causes: readonly UnknownCause[];
  /** `unknown: orders (no expectedSize)`. */
  readonly human: string;
}

/** Bytes, or why they are unknown. */
export type ByteFigure = KnownBytes | UnknownFigure;

/** A count, or why it is unknown. */
export type CountFigure = KnownCount | UnknownFigure;

/** CPU of one `spiced` container: the quantities as rendered, and in cores. */
export interface CpuReport {
  readonly request: string;
  readonly limit: string;
  readonly requestCores: number;
  readonly limitCores: number;
}

/** Memory of one `spiced` container. */
export interface MemoryReport { readonly request: KnownBytes; readonly limit: KnownBytes }

/** Each writer's persistent volume and where its size comes from. */
export interface WriterStorageReport {
  /** `writer.storageSize` as rendered. */
  readonly size: KnownBytes;
  /** `given` when `writer.storageSize` differs from what the library derives, else the rule that derives it. */
  readonly basis: 'given' | WriterStorageBasis;
  /** The basis in words, with its numbers. */
  readonly explanation: string;
  /** What the library derives from the datasets (before rounding up to whole gibibytes). */
  readonly derived: KnownBytes;
  /** File-backed datasets without `expectedSize`: the derivation leaves them out. */
  readonly leftOut: readonly UnknownCause[];
}

/** The largest dataset the writer accelerates. */
export interface LargestDataset extends KnownBytes {
  readonly name: string;
  readonly engine: AccelerationEngine;
  /** `arrow`: the whole dataset lives in memory. */
  readonly inMemory: boolean;
}

/** The writer cluster: every replica accelerates every dataset. */
export interface WriterReport {
  /** The snapshot owner plus the query replicas. */
  readonly replicas: number;
  readonly snapshotOwners: 1;
  readonly queryReplicas: number;
  readonly cpu: CpuReport;
  readonly memory: MemoryReport;
  readonly storage: WriterStorageReport;
  /** Unknown while any dataset has no `expectedSize`: that one could be the largest. */
  readonly largestDataset: LargestDataset | UnknownFigure;
  /** In-memory (`arrow`) datasets, which each replica holds wholly in memory. */
  readonly inMemory: { readonly datasets: readonly string[]; readonly total: ByteFigure };
}

/** The read sidecars. */
export interface ReaderReport {
  readonly cpu: CpuReport;
  readonly memory: MemoryReport;
  /** `reader.localDisk` as rendered. */
  readonly localDisk: KnownBytes;
  /** Datasets restored from snapshots into the local disk. */
  readonly accelerated: readonly string[];
  /** The restored files: the accelerated datasets' snapshot sizes (compacted where compaction applies). */
  readonly workingSet: ByteFigure;
  /** The working set x HEADROOM: a new snapshot downloads beside the current file. */
  readonly diskNeeded: ByteFigure;
  /** Datasets readers query live on the writer cluster over Arrow Flight, and where they dial it. */
  readonly delegated: {
    /** The endpoint readers in the cluster dial. */
    readonly flightEndpoint: string;
    /**
     * The endpoint readers outside the cluster dial (`writer.externalFlightEndpoint`).
     *
     * @default - none: readers outside the cluster dial `flightEndpoint` too
     */
    readonly externalFlightEndpoint?: string;
    readonly datasets: readonly string[];
  };
}

/** One snapshotted dataset in the bucket. */
export interface BucketDatasetReport {
  readonly name: string;
  readonly engine: AccelerationEngine;
  /** DuckDB compaction: the snapshot is counted 30% smaller (the worst of the seed's 30-60%). */
  readonly compaction: boolean;
  readonly expectedSize: ByteFigure;
  readonly snapshotSize: ByteFigure;
  readonly snapshotsPerDay: CountFigure;
}

/** The snapshot bucket in steady state, assuming every triggered snapshot is written. */
export interface BucketReport {
  /** All datasets together. */
  readonly snapshotsPerDay: CountFigure;
  /** Refresh-triggered snapshots: snapshots a day x snapshot size x retention days. */
  readonly refresh: { readonly days: number; readonly bytes: ByteFigure };
  /** The daily archive; undefined when none is kept. */
  readonly archive?: { readonly days: number; readonly bytes: ByteFigure };
  readonly datasets: readonly BucketDatasetReport[];
}

/** Identifiers of the sizing warnings. */
export type SizingWarningId =
  | 'writer-memory-in-memory-datasets'
  | 'writer-memory-largest-dataset'
  | 'reader-disk-working-set'
  | 'reader-memory-working-set'
  | 'unknown-expected-size';

/** A sizing risk: what it concerns, what is wrong and how to fix it. */
export interface SizingWarning {
  readonly id: SizingWarningId;
  /** Description path it concerns, e.g. `reader.localDisk` or `datasets[2].expectedSize`. */
  readonly path: string;
  readonly message: string;
  readonly fix: string;
}

/** What `read-write-split size` prints: the sizes of both tiers and of the bucket, and their risks. */
export interface SizingReport {
  readonly split: string;
  /** The writer cluster; undefined when the writer is a Spice Cloud app (sized in Spice Cloud). */
  readonly writer?: WriterReport;
  /** The Spice Cloud app's Flight endpoint, when it is the writer. */
  readonly spiceCloud?: string;
  readonly reader: ReaderReport;
  /** The snapshot bucket; undefined when the writer is a Spice Cloud app (no bucket). */
  readonly bucket?: BucketReport;
  readonly warnings: readonly SizingWarning[];
  /** What to watch once deployed (the seed's signals). */
  readonly signals: readonly string[];
}
