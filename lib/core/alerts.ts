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
 * "Snapshot too old", for datasets whose writer uploads on a schedule whatever the data
 * (`creationPolicy: 'always'`): with `on_change`, an unchanged source rightly writes no snapshot,
 * so age says nothing there. The gauge is absent after a writer restart until its first upload,
 * so a missing gauge over the window counts as stale too.
 */
function staleSnapshotRules(split: ResolvedSplit, writer: string, labels: Record<string, string>): AlertRule[] {
  return split.datasets.filter((d) => d.snapshots?.creationPolicy === 'always').map((dataset): AlertRule => {
    const seconds = staleSnapshotSeconds(dataset);
    const series = `dataset_acceleration_snapshot_write_timestamp{${writer}, dataset="${dataset.name}"}`;
    // last_over_time keeps the value of a writer that just restarted (its series went stale) in view.
    return {
      alert: 'SpiceSnapshotStale',
      expr: `(time() - max(last_over_time(${series}[${seconds}s])) > ${seconds}) or absent_over_time(${series}[${seconds}s])`,
      for: '5m',
      labels: { ...labels, dataset: dataset.name },
      annotations: {
        summary: `No snapshot of ${dataset.name} in the last ${seconds / 60} minutes`,
        description: 'The snapshot owner uploads on a schedule, yet none arrived: it is falling behind on refresh, or cannot upload. New readers bootstrap from stale data.',
      },
    };
  });
}

/**
 * Readers whose datasets are in the Error load state. On readers that restore once (1.x, OSS) this
 * is a failed bootstrap; readers that hot-swap (Enterprise 2.x) also mark a dataset Error when a
 * poll for a newer snapshot fails while they still serve the previous one, so there it is named so.
 */
function readerRule(split: ResolvedSplit, reader: string, labels: Record<string, string>): AlertRule {
  const hotSwap = split.image.capabilities.snapshotRefreshMode;
  return {
    alert: hotSwap ? 'SpiceReaderDatasetError' : 'SpiceReaderBootstrapFailed',
    expr: `max by (namespace, pod, dataset) (dataset_load_state{${reader}}) == 3`,
    for: '10m',
    labels,
    annotations: hotSwap
      ? {
        summary: 'A reader sidecar has a dataset in the Error state',
        description: 'Either it restored no snapshot, or it cannot fetch a newer one and still serves the previous: check the read-only bucket identity and the snapshot location, and for a delegated dataset the writer endpoint.',
      }
      : {
        summary: 'A reader sidecar could not load a dataset',
        description: 'No snapshot was restored (check the read-only bucket identity and the snapshot location), or the delegated endpoint is unreachable.',
      },
  };
}

/**
 * Alerting rules for a split, on spiced's metric names (no `_total` suffixes: spiced exports them
 * without): snapshot age where uploads are scheduled, write failures, refresh errors, and readers
 * whose datasets are in the Error load state.
 */
export function alertRules(split: ResolvedSplit, jobs: MetricJobs): AlertRule[] {
  const writer = `job="${jobs.writer}"`;
  const labels = { severity: 'warning', split: split.name };
  // A Spice Cloud app's writers are watched in Spice Cloud: only its readers are here.
  if (split.writer.spiceCloud) return spiceCloudReaderRules(`job="${jobs.reader}"`, labels);
  return [
    ...staleSnapshotRules(split, writer, labels),
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
    readerRule(split, `job="${jobs.reader}"`, labels),
    {
      alert: 'SpiceReaderDatasetNotLoaded',
      expr: `min by (namespace, pod, dataset) (dataset_load_state{job="${jobs.reader}"}) == 0`,
      for: '15m',
      labels,
      annotations: {
        summary: 'A reader sidecar has not loaded a dataset for 15 minutes',
        description: 'It keeps retrying its snapshot download (bootstrapOnFailure: retry: check the read-only bucket identity and the snapshot location), or cannot reach the writer for a delegated dataset. The pod stays unready meanwhile.',
      },
    },
  ];
}

/** The readers of a Spice Cloud app: every dataset is delegated, so a dataset not loaded means the app is not reached or refuses. */
function spiceCloudReaderRules(reader: string, labels: Record<string, string>): AlertRule[] {
  const check = "Check the app's API key (writer.apiKey's Secret in the reader's namespace), that the app serves the dataset's table, and the pod's egress to the app's endpoint.";
  return [
    {
      alert: 'SpiceReaderDatasetError',
      expr: `max by (namespace, pod, dataset) (dataset_load_state{${reader}}) == 3`,
      for: '10m',
      labels,
      annotations: { summary: 'A reader sidecar has a dataset of the Spice Cloud app in the Error state', description: check },
    },
    {
      alert: 'SpiceReaderDatasetNotLoaded',
      expr: `min by (namespace, pod, dataset) (dataset_load_state{${reader}}) == 0`,
      for: '15m',
      labels,
      annotations: { summary: 'A reader sidecar has not loaded a dataset of the Spice Cloud app for 15 minutes', description: `The pod stays unready meanwhile. ${check}` },
    },
  ];
}
