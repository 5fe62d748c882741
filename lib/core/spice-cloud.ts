import { DatasetSpec } from './dataset-spec';
import { Findings, quote, ROOT_PATH } from './errors';
import { isFlightEndpoint, isPlaintextFlightEndpoint } from './flight-tls';
import { SecretRef } from './secret-ref';
import { ResolvedSpiceImage } from './spice-image';

// A split whose writer is a Spice Cloud app: readers delegate every dataset to it over Flight
// (the `spice.ai` connector) and restore nothing, so the split has no snapshot store, no writer
// cluster and no archiver. Facts: spiceai/docs components/data-connectors/spiceai/index.md
// @5606631e and spiceai/spiceai crates/runtime/src/dataconnector/spiceai.rs (1.11 and 2.x), as
// recorded in the reference's deploy-targets.md and spice-runtime.md.

/** The Spice Cloud app that serves the split's datasets. */
export interface SpiceCloudWriterSpec {
  /**
   * Region of the Spice Cloud app: `us-east-1` or `us-west-2`, the regions the `spice.ai`
   * connector documents. Readers dial `https://<region>-prod-aws-flight.spiceai.io`. Give this or
   * `endpoint`.
   *
   * @default - none
   */
  readonly region?: string;
  /**
   * The app's Flight endpoint, `https://` or `grpc+tls://` (the API key crosses the internet), for
   * a region the connector does not document. Give this or `region`.
   *
   * @default - none
   */
  readonly endpoint?: string;
}

/** The writer of a split whose writer is a Spice Cloud app. */
export interface SpiceCloudWriterTierSpec {
  /** The Spice Cloud app that serves the split's datasets. */
  readonly spiceCloud: SpiceCloudWriterSpec;
  /**
   * The app's API key, which readers present (the only secret they hold).
   *
   * @default - key `api-key` of the Secret `<split>-cluster-api-key`
   */
  readonly apiKey?: SecretRef;
}

/** Whether a writer tier is a Spice Cloud app (`spiceCloud` given). */
export function isSpiceCloudWriter(writer: object | undefined): writer is SpiceCloudWriterTierSpec {
  return (writer as SpiceCloudWriterTierSpec | undefined)?.spiceCloud !== undefined;
}

/** A Spice Cloud writer after checks. */
export interface ResolvedSpiceCloud {
  /** The documented region, when given; readers on 2.x name it (`spiceai_region`). */
  readonly region?: string;
  /** The Flight endpoint readers dial: given, or built from the region as the 2.x connector does. */
  readonly endpoint: string;
}

/** Regions the `spice.ai` connector documents (`spiceai_region`). */
export const SPICE_CLOUD_REGIONS = ['us-east-1', 'us-west-2'] as const;

/** The regional Flight endpoint, as spiced 2.x builds it from `spiceai_region`. */
export function spiceCloudFlightEndpoint(region: string): string {
  return `https://${region}-prod-aws-flight.spiceai.io`;
}

/** Checks the Spice Cloud writer: exactly one of `region` and `endpoint`. */
export function resolveSpiceCloud(spec: SpiceCloudWriterSpec, findings: Findings): ResolvedSpiceCloud {
  const at = findings.under('writer.spiceCloud');
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) {
    at.problem(ROOT_PATH, `${quote(spec)} is not a Spice Cloud app`, "give { region: 'us-east-1' } or { endpoint: 'https://…' }");
    return { endpoint: '' };
  }
  const { region, endpoint } = spec;
  if (region !== undefined && endpoint !== undefined) {
    at.problem('endpoint', 'is set together with region', 'give one: the region builds the endpoint, and spiced refuses a region that does not match an explicit regional endpoint');
  } else if (region === undefined && endpoint === undefined) {
    at.problem('region', 'is missing, and so is endpoint', `give the app's region (${SPICE_CLOUD_REGIONS.join(' or ')}), or its Flight endpoint`);
  }
  if (region !== undefined && !(SPICE_CLOUD_REGIONS as readonly unknown[]).includes(region)) {
    at.problem('region', `${quote(region)} is not a region the spice.ai connector documents`, `use ${SPICE_CLOUD_REGIONS.join(' or ')}, or give the app's Flight endpoint as 'endpoint'`);
  }
  if (endpoint !== undefined && (!isFlightEndpoint(endpoint) || isPlaintextFlightEndpoint(endpoint))) {
    at.problem('endpoint', `${quote(endpoint)} is not a TLS Flight endpoint`, "use 'https://host' or 'grpc+tls://host:port': readers send the app's API key over the internet");
  }
  if (typeof endpoint === 'string') return { endpoint };
  return { region, endpoint: typeof region === 'string' ? spiceCloudFlightEndpoint(region) : '' };
}

/** The connector params that name the Cloud app: its region where the image's connector takes one, else the endpoint, which every release parses. */
export function spiceCloudParams(cloud: ResolvedSpiceCloud, image: ResolvedSpiceImage): Record<string, string> {
  if (cloud.region !== undefined && image.capabilities.spiceCloudRegion) return { spiceai_region: cloud.region };
  return { spiceai_endpoint: cloud.endpoint };
}

/** Writer settings that configure a cluster this split does not have. */
const CLUSTER_WRITER_FIELDS = ['replicas', 'resources', 'storageSize', 'storageClass', 'acceptedApiKeys', 'flightEndpoint', 'externalFlightEndpoint', 'tls', 'flightClientCertificate'] as const;
/** Reader settings about snapshots, which a Spice Cloud split has none of. */
const SNAPSHOT_READER_FIELDS = ['bootstrapOnFailure', 'snapshotCheckInterval', 'allowSourceAccess'] as const;
/** Dataset settings that configure the writer's acceleration: the Cloud app's own Spicepod holds them. */
const WRITER_DATASET_FIELDS = ['params', 'secretParams', 'engine', 'engineParams', 'refresh', 'snapshots', 'timeColumn', 'expectedSize'] as const;

/** The parts of a description shaped like a split's, read without trusting their types. */
interface CloudSplitParts {
  readonly store?: unknown;
  readonly retention?: unknown;
  readonly upgradeFrom?: unknown;
  readonly writer?: Readonly<Record<string, unknown>>;
  readonly reader?: Readonly<Record<string, unknown>>;
}

/** Refuses what a Spice Cloud split cannot have: a store, writer-cluster and snapshot settings. */
export function checkSpiceCloudSplit(spec: CloudSplitParts, findings: Findings): void {
  const keep = 'configure it in the Spice Cloud app, or remove writer.spiceCloud to run the writer cluster yourself';
  if (spec.store !== undefined) {
    findings.problem('store', 'is set, but the writer is a Spice Cloud app, and no way for an app to publish snapshots to your bucket is documented', 'remove it: readers delegate every dataset to the app');
  }
  if (spec.retention !== undefined) findings.problem('retention', 'is set, but a Spice Cloud split has no snapshot bucket', 'remove it');
  if (spec.upgradeFrom !== undefined) {
    findings.problem('upgradeFrom', 'is not checked for a Spice Cloud split (its lock names a snapshot store)', 'remove it; roll readers out after the Cloud app serves every dataset they name');
  }
  for (const field of CLUSTER_WRITER_FIELDS) {
    if (spec.writer?.[field] !== undefined) findings.problem(`writer.${field}`, 'configures a writer cluster, but the writer is a Spice Cloud app', keep);
  }
  for (const field of SNAPSHOT_READER_FIELDS) {
    if (spec.reader?.[field] !== undefined) findings.problem(`reader.${field}`, 'is about snapshots and sources, but readers of a Spice Cloud app restore nothing and read no source', 'remove it');
  }
}

/**
 * `spice.ai:` and a table of the app (`[catalog.][schema.]table`). Anything else would be taken for
 * something else: spiced 2.x dials a URL written after `spice.ai:` (with the app's API key) in
 * preference to the region, and 1.11 takes it for a table name.
 */
const SPICE_CLOUD_TABLE = /^spice\.ai:[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,2}$/;

/** A dataset of a Spice Cloud split: a table of the app, delegated. */
export function checkSpiceCloudDataset(spec: DatasetSpec, connector: string, path: string, findings: Findings): void {
  if (connector !== 'spice.ai' || !SPICE_CLOUD_TABLE.test(spec.from)) {
    findings.problem(
      `${path}.from`,
      `${quote(spec.from)} is not a table of the Spice Cloud app`,
      "write it as 'spice.ai:<table>' (or 'spice.ai:<schema>.<table>', 'spice.ai:<catalog>.<schema>.<table>'), the app's table this dataset reads; the app's address is writer.spiceCloud's, never the dataset's",
    );
  }
  if (spec.readers !== undefined && spec.readers !== 'delegated') {
    findings.problem(`${path}.readers`, `${quote(spec.readers)}: readers of a Spice Cloud app can only delegate (the app publishes no snapshots to restore)`, "set it to 'delegated', or leave it out");
  }
  for (const field of WRITER_DATASET_FIELDS) {
    if (spec[field] !== undefined) findings.problem(`${path}.${field}`, 'configures the writer\'s refresh and acceleration, which the Spice Cloud app\'s own Spicepod holds', 'remove it here and set it in the app');
  }
}

/** A split's writer, enough to tell a Spice Cloud app: as resolved, or as written when the description has problems. */
export type WriterShape = { readonly writer: { readonly spiceCloud?: unknown } };

/**
 * The writer as resolved or, when the description did not resolve, as written: a component tells a
 * Spice Cloud split even then, and reports what it would refuse beside the description's problems.
 */
export function writerShapeOf(resolved: WriterShape | undefined, spec: unknown): WriterShape | undefined {
  if (resolved) return resolved;
  const writer = typeof spec === 'object' && spec !== null ? (spec as { writer?: unknown }).writer : undefined;
  return typeof writer === 'object' && writer !== null ? { writer } : undefined;
}

/** Refuses a Spice Cloud split in a component built on the snapshot store (`findings` rooted at the description). */
export function refuseSpiceCloudWriter(split: WriterShape | undefined, component: string, findings: Findings): void {
  if (!split?.writer.spiceCloud) return;
  findings.problem(
    'writer.spiceCloud',
    `is set: the writer is a Spice Cloud app, so the split has no snapshot store or writer cluster, which ${component} needs (readers of the app need no cloud identity)`,
    `leave ${component} out for this split: its readers need only the app's API key`,
  );
}
