import { parseDurationSeconds, wholeDays } from './duration';
import { Findings, quote } from './errors';
import { ResolvedSnapshotStore } from './snapshot-store';

/** How long snapshots are kept. Object stores count lifecycle in whole days, so only whole days are accepted. */
export interface RetentionSpec {
  /**
   * How long refresh-triggered snapshots are kept: `24h`, `48h` or `72h` (or `1d`-`3d`).
   *
   * @default '72h'
   */
  readonly refreshSnapshots?: string;
  /**
   * How long the daily archive is kept, e.g. `30d`; `'none'` keeps no archive.
   *
   * @default '30d'
   */
  readonly dailyArchive?: string;
  /**
   * When to abort multipart uploads a crashed writer left behind.
   *
   * @default '1d'
   */
  readonly abortIncompleteUploads?: string;
}

/** Retention after checks, in whole days. */
export interface ResolvedRetention {
  readonly refreshDays: number;
  /** Undefined when no archive is kept. */
  readonly archiveDays?: number;
  readonly abortIncompleteUploadsDays: number;
}

/** One cloud-neutral lifecycle rule: expire objects under `prefix` after whole days. */
export interface RetentionRule {
  /** Stable rule id (S3 rule ID, Azure rule name). */
  readonly id: string;
  /** What the rule keeps in check. */
  readonly description: string;
  /**
   * Literal object-name prefix, relative to the bucket (S3, GCS) or container (Azure). It matches
   * the `month=…/day=…/dataset=…/` partitions and never `metadata.json`.
   */
  readonly prefix: string;
  /** Days after creation when objects expire. */
  readonly expireAfterDays: number;
}

/** The lifecycle rules the cloud adapters map to S3, GCS and Azure lifecycle configuration. */
export interface RetentionPlan {
  readonly rules: readonly RetentionRule[];
  /** Abort incomplete multipart uploads under the store prefix after these days. */
  readonly abortIncompleteUploads: { readonly prefix: string; readonly afterDays: number };
}

const MAX_REFRESH_DAYS = 3;
const MAX_ARCHIVE_DAYS = 3650;

function days(value: unknown, path: string, findings: Findings): number | undefined {
  const seconds = parseDurationSeconds(value);
  if (seconds === undefined) {
    findings.problem(path, `${quote(value)} is not a duration`, "use whole days, e.g. '72h' or '3d'");
    return undefined;
  }
  const whole = wholeDays(seconds);
  if (whole === undefined) {
    findings.problem(
      path,
      `${quote(value)} is not a whole number of days; S3, GCS and Azure lifecycle rules count whole days only`,
      "round it to whole days, e.g. '24h', '48h' or '72h'",
    );
  }
  return whole;
}

/** Checks retention and converts it to whole days. */
export function resolveRetention(spec: RetentionSpec | undefined, findings: Findings): ResolvedRetention {
  const refreshGiven = days(spec?.refreshSnapshots ?? '72h', 'retention.refreshSnapshots', findings);
  const refreshDays = refreshGiven ?? MAX_REFRESH_DAYS;
  if (refreshDays > MAX_REFRESH_DAYS) {
    findings.problem(
      'retention.refreshSnapshots',
      `${quote(spec?.refreshSnapshots)} keeps refresh-triggered snapshots longer than 72h`,
      "keep 24h-72h and use 'retention.dailyArchive' for longer history",
    );
  }
  const archiveSpec = spec?.dailyArchive ?? '30d';
  let archiveDays: number | undefined;
  if ((archiveSpec as unknown) === false) {
    findings.problem('retention.dailyArchive', 'false is not a duration', "use 'none' to keep no archive");
  } else if (archiveSpec !== NO_ARCHIVE) {
    archiveDays = days(archiveSpec, 'retention.dailyArchive', findings);
    // Compared with the refresh snapshots only when they are known: a refresh value refused above is not 72h.
    if (archiveDays !== undefined && ((refreshGiven !== undefined && archiveDays <= refreshDays) || archiveDays > MAX_ARCHIVE_DAYS)) {
      findings.problem(
        'retention.dailyArchive',
        `${quote(archiveSpec)} must be ${refreshGiven !== undefined ? `longer than the refresh snapshots (${refreshDays}d) and ` : ''}at most ${MAX_ARCHIVE_DAYS}d`,
        `use e.g. '30d', or '${NO_ARCHIVE}' to keep no archive`,
      );
    }
  }
  const abortDays = days(spec?.abortIncompleteUploads ?? '1d', 'retention.abortIncompleteUploads', findings) ?? 1;
  return { refreshDays, archiveDays, abortIncompleteUploadsDays: abortDays };
}

/** The `dailyArchive` value that keeps no archive. */
export const NO_ARCHIVE = 'none';

/** Builds the lifecycle rules for a store from the retention. */
export function retentionPlan(store: ResolvedSnapshotStore, retention: ResolvedRetention): RetentionPlan {
  const rules: RetentionRule[] = [
    {
      id: 'expire-refresh-snapshots',
      description: `Refresh-triggered snapshots expire after ${retention.refreshDays} day(s)`,
      prefix: store.refresh.partitionPrefix,
      expireAfterDays: retention.refreshDays,
    },
  ];
  if (retention.archiveDays !== undefined) {
    rules.push({
      id: 'expire-daily-archive',
      description: `Daily archive snapshots expire after ${retention.archiveDays} day(s)`,
      prefix: store.archive.partitionPrefix,
      expireAfterDays: retention.archiveDays,
    });
  }
  return { rules, abortIncompleteUploads: { prefix: `${store.prefix}/`, afterDays: retention.abortIncompleteUploadsDays } };
}
