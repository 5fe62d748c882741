import { ResolvedDataset } from './dataset';
import { DISPLAY_NAMES, Findings, named, quote } from './errors';
import { formatVersion, ResolvedSpiceImage } from './spice-image';
import { ResolvedSnapshotStore } from './snapshot-store';
import { AZURE_STORAGE_CONNECTORS } from './source-auth';
import { ResolvedReaderSettings } from './tiers';

/**
 * How a reader serves an accelerated dataset so that it becomes ready without source credentials.
 * - `snapshot-file-format`: an S3 store and an image the user says ships `file_format: snapshot`
 *   (`image.snapshotFileFormat`: Spice trunk after 2.1, no release yet). The dataset reads the
 *   published snapshots directly; its connector never touches a source.
 * - `snapshot-refresh`: Enterprise 2.0.0-rc.5 and later otherwise. The dataset restores the
 *   snapshot and hot-swaps newer ones (`refresh_mode: snapshot`), never refreshing from the source.
 * - `restored-source`: older images. The dataset restores the snapshot and never refreshes.
 *
 * Outside `snapshot-file-format` the source connector is still built. Only an `s3://` source is
 * known to register from the restored file without credentials (building it does no I/O); a
 * database source is contacted at registration and never becomes ready. Newer spiced trunk code
 * serves restored datasets before building the connector, but no release is known to ship it, so
 * database sources are refused there too.
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
  // An unparsable source is already reported; do not report it twice.
  if (dataset.connector && !NO_IO_SOURCES.has(dataset.connector) && !reader.allowSourceAccess) {
    findings.problem(
      `${path}.from`,
      `${quote(dataset.from)}: ${named(image.edition)} ${formatVersion(image.version)} reader with ${named(store.cloud)} store builds the ${quote(dataset.connector)} connector, which contacts the source when it registers the dataset and, without credentials, never becomes ready`,
      unrestorableSourceFix(path, store, dataset.connector),
    );
  }
  return image.capabilities.snapshotRefreshMode ? 'snapshot-refresh' : 'restored-source';
}

/** The fix for a reader dataset whose source connector would be contacted: by the source's kind, then the store's. */
function unrestorableSourceFix(path: string, store: ResolvedSnapshotStore, connector: string): string {
  const delegate = `set '${path}.readers' to 'delegated' to query it on the writer cluster`;
  const onlyS3 = 'only an s3:// source is known to register from the restored file without credentials';
  if (connector === 'gs') {
    return `${delegate}, or read it from an s3:// source (${onlyS3}): GCS serves its buckets at the S3-compatible endpoint https://storage.googleapis.com with HMAC keys (s3_endpoint, s3_auth: 'key')`;
  }
  if (AZURE_STORAGE_CONNECTORS.has(connector)) return `${delegate} (${onlyS3}, which Azure storage does not offer)`;
  const fileFormat = store.cloud === 'aws'
    ? "; with an image that ships file_format: snapshot (Spice trunk after 2.1, no release yet), set 'image.snapshotFileFormat: true' and readers read the snapshots directly"
    : '';
  return `${delegate}, or use an 's3://' source (e.g. a parquet export)${fileFormat}`;
}

/** Warns about reader settings that the chosen image and store do not honour as users expect. */
export function checkReaderStore(
  image: ResolvedSpiceImage,
  store: ResolvedSnapshotStore | undefined,
  forms: ReadonlyMap<string, ReaderDatasetForm>,
  bootstrapGiven: boolean,
  findings: Findings,
): void {
  if (store?.cloud === 'azure' && !image.capabilities.objectStoreCredentials) {
    findings.warn(
      'azure-node-identity',
      'store.cloud',
      `spiced ${formatVersion(image.version)} opens abfss:// snapshot locations with a generic builder that reads no params and authenticates only with an IMDS managed identity: AKS Workload Identity is not used, so the storage role goes to the nodes' (kubelet) identity, which every pod on them shares (readers can write); use a 2.x image (from 2.0.0-rc.5) for read-only readers`,
    );
  }
  if (image.capabilities.snapshotFileFormat && store && store.cloud !== 'aws') {
    findings.problem(
      'image.snapshotFileFormat',
      `is true, but file_format: snapshot reads s3:// locations only, and the store is on ${DISPLAY_NAMES[store.cloud]}: readers would restore snapshots the ordinary way`,
      'remove it, or keep the snapshots in an S3 bucket',
    );
  }
  const allForms = [...forms.values()];
  if (bootstrapGiven && allForms.length > 0 && allForms.every((form) => form === 'snapshot-file-format')) {
    findings.warn(
      'bootstrap-setting-moot',
      'reader.bootstrapOnFailure',
      "has no effect: every accelerated dataset reads published snapshots directly (file_format: snapshot) and becomes ready only once one is restored",
    );
  }
}

/** Checks reader settings that only some images honour. */
export function checkReaderHotSwap(image: ResolvedSpiceImage, reader: ResolvedReaderSettings, findings: Findings): void {
  if (reader.snapshotCheckInterval !== undefined && !image.capabilities.snapshotRefreshMode) {
    findings.problem(
      'reader.snapshotCheckInterval',
      `${quote(reader.snapshotCheckInterval)} has no effect: ${DISPLAY_NAMES[image.edition]} ${formatVersion(image.version)} readers cannot poll for snapshots (hot swap is Enterprise 2.x)`,
      'remove it; such readers pick up a newer snapshot when they restart with an empty local disk',
    );
  }
}
