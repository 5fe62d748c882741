import { ResolvedDataset } from './dataset';
import { StoredSplit } from './split';

/** What an identity may do under a prefix of the snapshot bucket. */
export type PrefixAccessLevel = 'read' | 'read-write';

/** Access to one prefix (relative to the bucket or container, ending in `/`). */
export interface PrefixAccess {
  readonly prefix: string;
  readonly access: PrefixAccessLevel;
}

/**
 * Where a `from: s3://<bucket>/<path>` source reads, as spiced lists it: the folder (`prefix`,
 * listed and read below) and, when the path has no trailing `/`, the key itself (a file, or a
 * folder written without its `/`). A glob in the path (`orders/*.parquet`) reads the folder before
 * it, as spiced lists it.
 */
export interface S3SourceLocation {
  readonly bucket: string;
  /** The folder: `''` for the whole bucket, otherwise ending in `/`. */
  readonly prefix: string;
  /** The key the path names without a trailing `/`, read as one object; undefined for a folder or a glob. */
  readonly key?: string;
}

/** An S3 source the writer identity reads with its own credentials, and the datasets that name it. */
export interface S3SourceRead extends S3SourceLocation {
  /** Indexes in `split.datasets`. */
  readonly datasets: readonly number[];
}

/**
 * Who may do what: the writer identity (writers and archiver) reads, writes and deletes under the
 * split's prefix of the snapshot bucket, and reads the S3 sources it authenticates to with its own
 * role; the reader identity only reads the refresh location. Neither gets anything else of the
 * snapshot bucket, and readers get no source access at all.
 */
export interface AccessPlan {
  readonly writer: readonly PrefixAccess[];
  readonly reader: readonly PrefixAccess[];
  /**
   * `s3://` sources of any placement (delegated and writer-only datasets are read on the writer
   * too) that authenticate with the pod's identity: `s3_auth` `iam_role` or unset (spiced then uses
   * the default credential chain). Not those with `s3_auth: 'key'` (keys in `secretParams`) or
   * `'public'`, nor what the writer's own snapshot prefix already covers.
   */
  readonly writerSources: readonly S3SourceRead[];
}

/** S3 bucket names, including legacy ones (upper case, `_`): never an IAM wildcard or an ARN. */
export const S3_BUCKET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/;

/** `s3_auth` values that need no grant to the pod's identity. */

/** Characters that start a glob in spiced's (DataFusion's) listing URLs. */
const GLOB = /[*?[]/;

/** The location an `s3://` source names, or undefined when it names no usable bucket. */
export function s3SourceLocation(from: string): S3SourceLocation | undefined {
  const match = /^s3:\/\/([^/?#]*)([^?#]*)/.exec(from);
  if (!match || !S3_BUCKET_NAME.test(match[1])) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(match[2]).replace(/^\/+/, '');
  } catch {
    return undefined;
  }
  const glob = GLOB.exec(path);
  if (glob) return { bucket: match[1], prefix: path.slice(0, path.lastIndexOf('/', glob.index) + 1) };
  if (path === '' || path.endsWith('/')) return { bucket: match[1], prefix: path };
  return { bucket: match[1], prefix: `${path}/`, key: path };
}

/**
 * How the writer authenticates to an `s3://` source. The notes disagree on spiced's default when
 * `s3_auth` is unset (`public` in the connector read for readers, `iam_role` in the runtime notes),
 * so the writer's Spicepod always says it: `key` when access keys are given, else `iam_role`
 * (which also reads public buckets).
 */
export function writerS3Auth(dataset: Pick<ResolvedDataset, 'connector' | 'params' | 'secretParams'>, cloud: string): string | undefined {
  if (dataset.connector !== 's3') return undefined;
  const given = dataset.params.s3_auth;
  if (typeof given === 'string') return given;
  if ('s3_key' in dataset.secretParams) return 'key';
  // Off AWS the writer has no AWS role to default to: a warning asks the user to say.
  return cloud === 'aws' ? 'iam_role' : undefined;
}

/** Whether the writer reads this dataset's source with its pod identity (an `s3://` source with `iam_role`). */
export function readsS3WithPodIdentity(dataset: Pick<ResolvedDataset, 'connector' | 'params' | 'secretParams'>, cloud = 'aws'): boolean {
  return writerS3Auth(dataset, cloud) === 'iam_role';
}

/** Whether `outer` already grants everything `inner` needs (same bucket, `inner` below `outer`'s folder). */
function covers(outer: S3SourceLocation, inner: S3SourceLocation): boolean {
  return outer.bucket === inner.bucket && inner.prefix.startsWith(outer.prefix) && (inner.key === undefined || inner.key.startsWith(outer.prefix));
}

/** Every folder a prefix lies in, itself included: `a/b/` gives `''`, `a/`, `a/b/`. */
function foldersOf(prefix: string): string[] {
  const folders = [''];
  for (let end = prefix.indexOf('/'); end >= 0; end = prefix.indexOf('/', end + 1)) folders.push(prefix.slice(0, end + 1));
  return folders;
}

type SourceRead = { location: S3SourceLocation; datasets: number[] };

/**
 * The reads kept so far, indexed by bucket and folder, so that merging a split's sources stays
 * linear however many there are: only reads whose folders contain each other can cover one
 * another, and those are found by folder; `covers` decides.
 */
class KeptReads {
  /** Insertion order, which the plan keeps. */
  private readonly order = new Set<SourceRead>();
  /** `bucket\0folder` to the reads at or below that folder. */
  private readonly below = new Map<string, Set<SourceRead>>();

  /** A kept read whose folder contains the location's, if any. */
  public outer(location: S3SourceLocation): SourceRead | undefined {
    for (const folder of foldersOf(location.prefix)) {
      for (const read of this.below.get(`${location.bucket}\0${folder}`) ?? []) {
        if (read.location.prefix === folder && covers(read.location, location)) return read;
      }
    }
    return undefined;
  }

  /** The kept reads inside the location's folder. */
  public inner(location: S3SourceLocation): SourceRead[] {
    return [...(this.below.get(`${location.bucket}\0${location.prefix}`) ?? [])].filter((read) => covers(location, read.location));
  }

  public add(read: SourceRead): void {
    this.order.add(read);
    for (const folder of foldersOf(read.location.prefix)) {
      const key = `${read.location.bucket}\0${folder}`;
      this.below.set(key, (this.below.get(key) ?? new Set()).add(read));
    }
  }

  public remove(read: SourceRead): void {
    this.order.delete(read);
    for (const folder of foldersOf(read.location.prefix)) this.below.get(`${read.location.bucket}\0${folder}`)?.delete(read);
  }

  public reads(): SourceRead[] {
    return [...this.order];
  }
}

function writerSources(split: StoredSplit): S3SourceRead[] {
  const own: S3SourceLocation = { bucket: split.store.bucket, prefix: `${split.store.prefix}/` };
  const reads: SourceRead[] = [];
  split.datasets.forEach((dataset, index) => {
    const location = readsS3WithPodIdentity(dataset, split.store.cloud) ? s3SourceLocation(dataset.from) : undefined;
    if (!location || (split.store.cloud === 'aws' && covers(own, location))) return;
    reads.push({ location, datasets: [index] });
  });
  // One read per location: a source inside another one's folder (or the same) needs nothing of its own.
  const kept = new KeptReads();
  for (const read of reads) {
    const outer = kept.outer(read.location);
    if (outer) {
      outer.datasets.push(...read.datasets);
      continue;
    }
    for (const other of kept.inner(read.location)) {
      read.datasets.unshift(...other.datasets);
      kept.remove(other);
    }
    kept.add(read);
  }
  return kept.reads().map((read) => ({ ...read.location, datasets: [...read.datasets].sort((a, b) => a - b) }));
}

/**
 * The access plan of a split; each cloud adapter maps it to its own permissions. The S3 sources
 * are merged on first read: only the AWS adapter reads them.
 */
export function accessPlan(split: StoredSplit): AccessPlan {
  let sources: readonly S3SourceRead[] | undefined;
  return {
    writer: [{ prefix: `${split.store.prefix}/`, access: 'read-write' }],
    reader: [{ prefix: split.store.refresh.folder, access: 'read' }],
    get writerSources() {
      return (sources ??= writerSources(split));
    },
  };
}

/** A `gs://` source the writer identity reads, and the datasets that name it. */
export interface GcsSourceRead {
  readonly bucket: string;
  /**
   * The object path the grant is held to (a folder ending in '/', or a file), for sources in the
   * split's own snapshot bucket outside the split's prefix (a bucket the library made, with uniform
   * access, so a condition holds). Undefined: the whole bucket.
   */
  readonly prefix?: string;
  /** Indexes in `split.datasets`. */
  readonly datasets: readonly number[];
}

const GCS_SOURCE_BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

/** The bucket a `gs://<bucket>/<path>` source names, or undefined when it names none. */
export function gcsSourceBucket(from: string): string | undefined {
  const match = /^gs:\/\/([^/?#]*)/.exec(from);
  return match && GCS_SOURCE_BUCKET.test(match[1]) ? match[1] : undefined;
}

/** The object path of a `gs://` source (`lake/orders/` of `gs://<bucket>/lake/orders/`); '' at the bucket's root. */
export function gcsSourcePath(from: string): string {
  return /^gs:\/\/[^/?#]*\/?([^?#]*)/.exec(from)?.[1] ?? '';
}

/**
 * `gs://` sources of any placement (delegated and writer-only datasets are read on the writer
 * too), one per bucket: GCS grants read on a bucket (IAM conditions on object names would need
 * uniform access on the source bucket, which is not this library's). The split's own snapshot
 * bucket holds other splits' snapshots too: a source there is read by its own path (a folder, or a
 * file), and needs nothing under the split's prefix, which the writer reads already. A source at
 * that bucket's root is refused by the GCP checks, and left out here.
 */
export function gcsWriterSources(split: StoredSplit): GcsSourceRead[] {
  const reads = new Map<string, { readonly bucket: string; readonly prefix?: string; readonly datasets: number[] }>();
  const own = split.store.prefix;
  split.datasets.forEach((dataset, index) => {
    const bucket = typeof dataset.from === 'string' ? gcsSourceBucket(dataset.from) : undefined;
    if (bucket === undefined) return;
    const path = split.store.cloud === 'gcp' && bucket === split.store.bucket ? gcsSourcePath(dataset.from as string) : undefined;
    if (path !== undefined && (path === '' || path === own || path.startsWith(`${own}/`))) return;
    const key = path === undefined ? bucket : `${bucket}/${path}`;
    const read = reads.get(key) ?? { bucket, ...(path === undefined ? {} : { prefix: path }), datasets: [] };
    read.datasets.push(index);
    reads.set(key, read);
  });
  return [...reads.values()];
}
