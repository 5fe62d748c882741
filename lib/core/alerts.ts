import { ResolvedDataset, snapshotIntervalSeconds } from './dataset';
import { ResolvedSplit } from './split';

/** One Prometheus alerting rule, as a PrometheusRule (or any Prometheus rule file) holds it. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** Where the split's metrics come from: Prometheus `job` labels of the scraped tiers. */
export interface MetricJobs {
  readonly writer: string;
  readonly reader: string;
}

/** Alert when the newest snapshot is older than this many snapshot intervals. */
const STALE_INTERVALS = 3;
const MIN_STALE_SECONDS = 30 * 60;
/** Schedules that are not an interval (cron) get a day. */
const UNKNOWN_INTERVAL_SECONDS = 24 * 3600;

/** Seconds after which a dataset's newest snapshot counts as stale. */
export function staleSnapshotSeconds(dataset: ResolvedDataset): number {
  const seconds = snapshotIntervalSeconds(dataset);
  return seconds === undefined ? UNKNOWN_INTERVAL_SECONDS : Math.max(MIN_STALE_SECONDS, STALE_INTERVALS * seconds);
}

/**
 * Alerting rules for a split, on spiced's metric names (no `_total` suffixes: spiced exports them
 * without). Snapshot age is `time() - dataset_acceleration_snapshot_write_timestamp` on the writer,
 * per accelerated dataset; write failures, refresh errors and readers whose datasets stay in the
 * Error load state (a failed bootstrap) complete the set.
 */
export function alertRules(split: ResolvedSplit, jobs: MetricJobs): AlertRule[] {
  const writer = `job="${jobs.writer}"`;
  const labels = { severity: 'warning', split: split.name };
  const stale = split.datasets.filter((d) => d.snapshots).map((dataset): AlertRule => {
    const seconds = staleSnapshotSeconds(dataset);
    return {
      alert: 'SpiceSnapshotStale',
      expr: `time() - max(dataset_acceleration_snapshot_write_timestamp{${writer}, dataset="${dataset.name}"}) > ${seconds}`,
      for: '5m',
      labels: { ...labels, dataset: dataset.name },
      annotations: {
        summary: `Newest snapshot of ${dataset.name} is older than ${seconds / 60} minutes`,
        description: 'The writer cluster is falling behind on refresh, or its snapshot owner cannot upload. New readers bootstrap from stale data.',
      },
    };
  });
  return [
    ...stale,
    {
      alert: 'SpiceSnapshotWriteFailures',
      expr: `sum by (dataset) (increase(dataset_acceleration_snapshot_failure_count{${writer}}[15m])) > 0`,
      for: '0m',
      labels,
      annotations: { summary: 'Snapshot uploads are failing', description: 'Check the snapshot owner\'s logs and its read-write bucket identity.' },
    },
    {
      alert: 'SpiceRefreshErrors',
      expr: `sum by (dataset) (increase(dataset_acceleration_refresh_errors{${writer}}[15m])) > 0`,
      for: '0m',
      labels,
      annotations: { summary: 'Refreshes from the source are failing', description: 'Check the source credentials and connectivity of the writer cluster.' },
    },
    {
      alert: 'SpiceReaderBootstrapFailed',
      expr: `max by (namespace, pod, dataset) (dataset_load_state{job="${jobs.reader}"}) == 3`,
      for: '10m',
      labels,
      annotations: {
        summary: 'A reader sidecar cannot load a dataset',
        description: 'The dataset is in the Error load state: no snapshot restored (check the read-only bucket identity and the snapshot location) or the delegated endpoint is unreachable.',
      },
    },
  ];
}
