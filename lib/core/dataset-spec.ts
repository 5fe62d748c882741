import { ParamValue } from './snapshot-store';
import { SecretRef } from './secret-ref';

/**
 * Where a dataset lives for the read tier.
 * - `accelerated`: snapshotted by the writer and restored into each reader's local file.
 * - `delegated`: readers query the writer cluster live over Arrow Flight (`spice.ai` connector).
 * - `writer-only`: readers do not see it.
 */
export type ReaderPlacement = 'accelerated' | 'delegated' | 'writer-only';

/**
 * Acceleration engine. `duckdb`, `sqlite` and `turso` accelerate into a file and can be
 * snapshotted; `arrow` accelerates in memory (writer-only and delegated datasets only).
 * `cayenne` (a data directory plus a metastore) and `postgres` (an external database with its own
 * credentials) are not rendered by this library.
 */
export type AccelerationEngine = 'duckdb' | 'sqlite' | 'turso' | 'arrow';

/** How the writer refreshes a dataset from its source. */
export type RefreshMode = 'full' | 'append' | 'changes' | 'caching';

/** What makes the snapshot owner write a snapshot. */
export type SnapshotTrigger = 'refresh_complete' | 'time_interval' | 'stream_batches';

/** When a triggered snapshot is really written. */
export type SnapshotCreationPolicy = 'on_change' | 'always';

/** Refresh settings of a dataset on the writer. */
export interface DatasetRefreshSpec {
  /**
   * Refresh mode.
   *
   * @default 'full'
   */
  readonly mode?: RefreshMode;
  /**
   * Interval between refreshes, e.g. `10m`.
   *
   * @default '10m' for `full` and `append` without `cron`; none for `changes` and `caching`
   */
  readonly checkInterval?: string;
  /**
   * Cron schedule instead of an interval, e.g. `0 * * * *`.
   *
   * @default - none
   */
  readonly cron?: string;
  /**
   * SQL that filters what is refreshed, e.g. `SELECT * FROM orders WHERE region = 'eu'`.
   *
   * @default - the whole source
   */
  readonly sql?: string;
  /**
   * Only refresh rows newer than this window, e.g. `7d` (needs `timeColumn`).
   *
   * @default - no window
   */
  readonly dataWindow?: string;
  /**
   * Whether to refresh when the writer starts although an acceleration exists.
   *
   * @default 'auto'
   */
  readonly onStartup?: 'auto' | 'always';
}

/** Snapshot settings of a dataset on the snapshot owner. */
export interface DatasetSnapshotSpec {
  /**
   * What triggers a snapshot.
   *
   * @default - `refresh_complete` for `full`, and for `append` with a `timeColumn`; `time_interval` otherwise
   */
  readonly trigger?: SnapshotTrigger;
  /**
   * Interval (`time_interval`) or batch count (`stream_batches`) between snapshots.
   *
   * @default - spiced's own default (10m) for `time_interval`; none for `refresh_complete`
   */
  readonly threshold?: string;
  /**
   * Compact the DuckDB file before upload (the seed reports 30-60% smaller snapshots). DuckDB only.
   *
   * @default true for DuckDB, false otherwise
   */
  readonly compaction?: boolean;
  /**
   * `on_change` skips a snapshot when the data did not change; `always` writes one every time.
   *
   * @default 'on_change'
   */
  readonly creationPolicy?: SnapshotCreationPolicy;
}

/** One dataset of the split. */
export interface DatasetSpec {
  /** Dataset name shared by both tiers: lowercase letters, digits and `_`. */
  readonly name: string;
  /** Source, as spiced writes it: `<connector>:<path>`, e.g. `s3://lake/orders/` or `postgres:public.orders`. */
  readonly from: string;
  /**
   * Non-secret connector params, e.g. `{ file_format: 'parquet' }`. Credentials belong in `secretParams`.
   *
   * @default - none
   */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /**
   * Source credentials by param name, e.g. `{ pg_pass: { secretName: 'orders-db', key: 'password' } }`.
   * Only the writer ever receives them.
   *
   * @default - none
   */
  readonly secretParams?: Readonly<Record<string, SecretRef>>;
  /**
   * Where the dataset lives for readers.
   *
   * @default 'accelerated'
   */
  readonly readers?: ReaderPlacement;
  /**
   * Acceleration engine on the writer (and on readers for accelerated datasets).
   *
   * @default 'duckdb'
   */
  readonly engine?: AccelerationEngine;
  /**
   * Extra non-secret engine params, e.g. `{ duckdb_memory_limit: '2GB' }`. The file path is set by the library.
   *
   * @default - none
   */
  readonly engineParams?: Readonly<Record<string, ParamValue>>;
  /**
   * Refresh settings on the writer.
   *
   * @default - full refresh every 10 minutes
   */
  readonly refresh?: DatasetRefreshSpec;
  /**
   * Snapshot settings on the snapshot owner (accelerated datasets only).
   *
   * @default - trigger from the refresh mode, compaction for DuckDB, policy `on_change`
   */
  readonly snapshots?: DatasetSnapshotSpec;
  /**
   * Column that orders rows in time (needed by `append` refresh and `refresh.dataWindow`).
   *
   * @default - none
   */
  readonly timeColumn?: string;
  /**
   * Human description, rendered into both Spicepods.
   *
   * @default - none
   */
  readonly description?: string;
  /**
   * Expected size of the acceleration file, as a Kubernetes quantity (e.g. `4Gi`). Sizes the
   * writer volume, the reader's local disk and the bucket estimate.
   *
   * @default - unknown: tier defaults apply
   */
  readonly expectedSize?: string;
}
