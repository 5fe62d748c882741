import { ResolvedDataset } from './dataset';
import { Findings, quote } from './errors';
import { formatVersion, ResolvedSpiceImage } from './spice-image';
import { ResolvedSnapshotStore } from './snapshot-store';
import { ResolvedReaderSettings } from './tiers';

/**
 * How a reader serves an accelerated dataset so that it becomes ready without source credentials.
 * - `snapshot-file-format`: Enterprise 2.x with an S3 store. The dataset reads the published
 *   snapshots directly (`file_format: snapshot`); its connector never touches a source.
 * - `snapshot-refresh`: Enterprise 2.x with a GCS or Azure store. The dataset restores the
 *   snapshot and hot-swaps newer ones (`refresh_mode: snapshot`); spiced 2.x serves it from the
 *   restored file before the source connector exists, and never refreshes from the source.
 * - `restored-source`: spiced 1.x. The dataset restores the snapshot and keeps its `s3://` source
 *   without credentials: building that connector does no I/O, so the dataset is served from the
 *   restored file while the connector retries in the background. A database source would be
 *   contacted at registration and never become ready.
 */
export type ReaderDatasetForm = 'snapshot-file-format' | 'snapshot-refresh' | 'restored-source';

/** Connectors whose construction does no I/O, so a 1.x reader registers them from the restored file. */
const NO_IO_SOURCES = new Set(['s3']);

/** Picks the reader form for an accelerated dataset, or reports why none can work. */
export function readerDatasetForm(
  dataset: ResolvedDataset,
  image: ResolvedSpiceImage,
  store: ResolvedSnapshotStore,
  reader: ResolvedReaderSettings,
  path: string,
  findings: Findings,
): ReaderDatasetForm {
  if (image.capabilities.snapshotFileFormat && store.cloud === 'aws') return 'snapshot-file-format';
  if (image.capabilities.snapshotRefreshMode) return 'snapshot-refresh';
  // An unparsable source is already reported; do not report it twice.
  if (dataset.connector && !NO_IO_SOURCES.has(dataset.connector) && !reader.allowSourceAccess) {
    findings.problem(
      `${path}.from`,
      `${quote(dataset.from)}: a spiced ${formatVersion(image.version)} reader contacts a ${quote(dataset.connector)} source when it registers the dataset and, without credentials, never becomes ready`,
      `set '${path}.readers' to 'delegated' to query it on the writer cluster, use an 's3://' source, or use an Enterprise 2.x image`,
    );
  }
  return 'restored-source';
}

/** Checks reader settings that only some images honour. */
export function checkReaderHotSwap(image: ResolvedSpiceImage, reader: ResolvedReaderSettings, findings: Findings): void {
  if (reader.snapshotCheckInterval !== undefined && !image.capabilities.snapshotRefreshMode) {
    findings.problem(
      'reader.snapshotCheckInterval',
      `${quote(reader.snapshotCheckInterval)} has no effect: ${image.edition} ${formatVersion(image.version)} readers cannot poll for snapshots (hot swap is Enterprise 2.x)`,
      'remove it; such readers pick up a newer snapshot when they restart with an empty local disk',
    );
  }
}
