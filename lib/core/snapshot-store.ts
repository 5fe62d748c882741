import { article, Findings, named, quote } from './errors';

/** Cloud that hosts the snapshot bucket. */
export type SnapshotCloud = 'aws' | 'gcp' | 'azure';

/**
 * Where the snapshots live. One shape for every cloud (so that the description can be offered to
 * other languages as a plain schema): `bucket` for 'aws' and 'gcp', `account` and `container` for
 * 'azure'; a field of another cloud is refused.
 */
export interface SnapshotStoreSpec {
  /** Cloud that hosts the bucket (or storage account). */
  readonly cloud: SnapshotCloud;
  /**
   * Region of the bucket. Keep it the region of the cluster that runs both tiers: the bucket is
   * the only dependency the tiers share.
   */
  readonly region: string;
  /**
   * Folder inside the bucket (or container) that holds this split's snapshots, without leading
   * or trailing slash.
   *
   * @default - the split name
   */
  readonly prefix?: string;
  /**
   * S3 or GCS bucket name: required for 'aws' and 'gcp', refused for 'azure'.
   *
   * @default - none
   */
  readonly bucket?: string;
  /**
   * Azure storage account name: required for 'azure', refused elsewhere.
   *
   * @default - none
   */
  readonly account?: string;
  /**
   * Azure blob container name: required for 'azure', refused elsewhere.
   *
   * @default - none
   */
  readonly container?: string;
}

/** An S3 bucket. */
export interface S3SnapshotStoreSpec extends SnapshotStoreSpec {
  readonly cloud: 'aws';
  /** Bucket name. */
  readonly bucket: string;
}

/** A Google Cloud Storage bucket. */
export interface GcsSnapshotStoreSpec extends SnapshotStoreSpec {
  readonly cloud: 'gcp';
  /** Bucket name. */
  readonly bucket: string;
}

/** An Azure storage account container (reached through the ADLS `abfss://` scheme). */
export interface AzureSnapshotStoreSpec extends SnapshotStoreSpec {
  readonly cloud: 'azure';
  /** Storage account name. */
  readonly account: string;
  /** Blob container name. */
  readonly container: string;
}

/** Spicepod parameter values. */
export type ParamValue = string | number | boolean;

/** One snapshot location: a folder holding `metadata.json` and `month=…/day=…/dataset=…/` partitions. */
export interface SnapshotLocation {
  /** URI for the Spicepod `snapshots.location`, ending in `/`. */
  readonly uri: string;
  /** Path of the folder inside the bucket or container, ending in `/`. */
  readonly folder: string;
  /**
   * Object-name prefix that matches every snapshot file but never `metadata.json`: lifecycle
   * rules expire these, so the pointer to the newest snapshot always survives.
   */
  readonly partitionPrefix: string;
}

/** The store after defaults, with its two locations and the params spiced reads for it. */
export interface ResolvedSnapshotStore {
  readonly cloud: SnapshotCloud;
  readonly region: string;
  /** S3/GCS bucket name, or Azure container name. */
  readonly bucket: string;
  /** Azure storage account; undefined elsewhere. */
  readonly account?: string;
  readonly prefix: string;
  /** Refresh-triggered snapshots written by the snapshot owner, read by every reader. */
  readonly refresh: SnapshotLocation;
  /** Daily archive, kept longer. */
  readonly archive: SnapshotLocation;
  /** Params for the Spicepod `snapshots.params` (empty where spiced reads none). */
  readonly params: Readonly<Record<string, ParamValue>>;
}

const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const GCS_BUCKET = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;
/** Names GCS refuses: a `goog` prefix, `google` anywhere, or a dotted IP address. */
const RESERVED_GCS_BUCKET = /^goog|google|^\d{1,3}(\.\d{1,3}){3}$/;
const AZURE_ACCOUNT = /^[a-z0-9]{3,24}$/;
const AZURE_CONTAINER = /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const REGION: Record<SnapshotCloud, { pattern: RegExp; example: string }> = {
  aws: { pattern: /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/, example: 'eu-west-1' },
  gcp: { pattern: /^[a-z]+-[a-z]+\d+$/, example: 'europe-west4' },
  azure: { pattern: /^[a-z]+[a-z0-9]*$/, example: 'westeurope' },
};
const PREFIX = /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?(\/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*$/;

/** Folder names of the two locations under the store prefix. */
export const REFRESH_FOLDER = 'refresh';
export const ARCHIVE_FOLDER = 'archive';

function location(uriRoot: string, folder: string): SnapshotLocation {
  return { uri: `${uriRoot}${folder}`, folder, partitionPrefix: `${folder}month=` };
}

function uriRootOf(spec: SnapshotStoreSpec): string {
  switch (spec.cloud) {
    case 'aws':
      return `s3://${spec.bucket}/`;
    case 'gcp':
      return `gs://${spec.bucket}/`;
    case 'azure':
      // The account must be in the URL: spiced's generic object-store builder reads nothing else.
      return `abfss://${spec.container}@${spec.account}.dfs.core.windows.net/`;
  }
}

/**
 * Params spiced reads for a snapshot location. Only `s3://` locations get a builder that reads
 * `snapshots.params` (and only `s3_`-prefixed keys: unprefixed ones are ignored with a warning);
 * `gs://` and `abfss://` go through a generic builder that reads none, so none are rendered.
 */
function paramsOf(spec: SnapshotStoreSpec): Record<string, ParamValue> {
  return spec.cloud === 'aws' ? { s3_region: spec.region, s3_auth: 'iam_role' } : {};
}

/** Checks the store and derives its locations. */
export function resolveSnapshotStore(
  spec: SnapshotStoreSpec | undefined,
  splitName: string,
  findings: Findings,
): ResolvedSnapshotStore | undefined {
  if (!spec || typeof spec !== 'object') {
    findings.problem(
      'store',
      'is required: both tiers share one snapshot bucket',
      "set 'store' to e.g. { cloud: 'aws', bucket: 'my-snapshots', region: 'eu-west-1' }",
    );
    return undefined;
  }
  if (!['aws', 'gcp', 'azure'].includes(spec.cloud)) {
    findings.problem('store.cloud', `${quote(spec.cloud)} is not a supported cloud`, "use 'aws', 'gcp' or 'azure'");
    return undefined;
  }
  checkStoreNames(spec, findings);
  const region = REGION[spec.cloud];
  if (!findings.isLateBound(spec.region) && (typeof spec.region !== 'string' || !region.pattern.test(spec.region))) {
    findings.problem(
      'store.region',
      `${quote(spec.region)} is not ${named(spec.cloud)} region`,
      `use the region of your cluster, e.g. '${region.example}'`,
    );
  }
  const prefix = spec.prefix ?? splitName;
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
    findings.problem(
      'store.prefix',
      `${quote(prefix)} is not a folder path (object-store prefixes are literal: no wildcards, no leading or trailing '/')`,
      "use folders of lowercase letters, digits, '.', '_' and '-', each starting and ending with a letter or digit, and '/' between folders, e.g. 'spice/orders'",
    );
  }
  const root = uriRootOf(spec);
  return {
    cloud: spec.cloud,
    region: spec.region,
    // checkStoreNames refused a missing name; the resolved store is only used when no problem was found.
    bucket: (spec.cloud === 'azure' ? spec.container : spec.bucket) ?? '',
    account: spec.cloud === 'azure' ? spec.account : undefined,
    prefix,
    refresh: location(root, `${prefix}/${REFRESH_FOLDER}/`),
    archive: location(root, `${prefix}/${ARCHIVE_FOLDER}/`),
    params: paramsOf(spec),
  };
}

/** The fields each cloud names its store with; the others are refused rather than ignored. */
export const STORE_NAME_FIELDS: Readonly<Record<SnapshotCloud, readonly ('bucket' | 'account' | 'container')[]>> = {
  aws: ['bucket'], gcp: ['bucket'], azure: ['account', 'container'],
};

function checkStoreNames(spec: SnapshotStoreSpec, findings: Findings): void {
  const expected = STORE_NAME_FIELDS[spec.cloud];
  for (const field of ['bucket', 'account', 'container'] as const) {
    if (spec[field] !== undefined && !expected.includes(field)) {
      findings.problem(`store.${field}`, `is not used by ${named(spec.cloud)} store`, `remove it; ${named(spec.cloud)} store is named by ${expected.map((name) => `'${name}'`).join(' and ')}`);
    }
  }
  if (spec.cloud === 'azure') {
    if (typeof spec.account !== 'string' || !AZURE_ACCOUNT.test(spec.account)) {
      findings.problem('store.account', `${quote(spec.account)} is not a storage account name`, 'use 3-24 lowercase letters and digits');
    }
    if (typeof spec.container !== 'string' || !AZURE_CONTAINER.test(spec.container)) {
      findings.problem(
        'store.container',
        `${quote(spec.container)} is not a container name`,
        "use 3-63 lowercase letters, digits and single '-', starting and ending with a letter or digit",
      );
    }
    return;
  }
  const pattern = spec.cloud === 'aws' ? S3_BUCKET : GCS_BUCKET;
  if (findings.isLateBound(spec.bucket)) return;
  if (typeof spec.bucket !== 'string' || !pattern.test(spec.bucket) || spec.bucket.includes('..')) {
    findings.problem(
      'store.bucket',
      `${quote(spec.bucket)} is not ${article(spec.cloud === 'aws' ? 'S3' : 'GCS')} bucket name`,
      "use 3-63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit",
    );
  } else if (spec.cloud === 'gcp' && RESERVED_GCS_BUCKET.test(spec.bucket)) {
    findings.problem('store.bucket', `${quote(spec.bucket)} is a name GCS reserves (it starts with "goog", contains "google", or is an IP address)`, 'choose another bucket name');
  }
}
