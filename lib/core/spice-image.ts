import { DISPLAY_NAMES, Findings, quote } from './errors';
import { digestProblem, imageReference, isFloatingTag, repositoryProblem, splitImageReference, tagProblem } from './image-reference';

/** Spice distribution: the open-source image or the Enterprise image. */
export type SpiceEdition = 'oss' | 'enterprise';

/** The `spiced` container image both tiers run. */
export interface SpiceImageSpec {
  /**
   * Edition of the image. Acceleration snapshots, which this pattern rests on, are an Enterprise
   * feature in current `spiced` builds.
   *
   * @default 'oss'
   */
  readonly edition?: SpiceEdition;
  /**
   * Image repository.
   *
   * @default 'spiceai/spiceai' for the OSS edition; required for Enterprise (AWS Marketplace ECR)
   */
  readonly repository?: string;
  /**
   * Pinned image tag, e.g. `1.11.5` or `2.0.1-enterprise-models`: letters, digits, `_`, `.` and `-`,
   * at most 128. Floating tags (`latest`) are refused. `<tag>@sha256:<digest>` sets `digest` too.
   *
   * @default '1.11.5' for the OSS edition; required for Enterprise
   */
  readonly tag?: string;
  /**
   * Image digest, `sha256:` and 64 lowercase hex digits: the container runs exactly these bytes
   * (`<repository>:<tag>@<digest>`), whatever the tag points at later. Needs an explicit `tag`,
   * which says which Spice version the digest is.
   *
   * @default - none: the image is pulled by tag
   */
  readonly digest?: string;
  /**
   * Spice version inside the image, for tags that do not start with it (e.g. a custom build).
   *
   * @default - read from the tag
   */
  readonly version?: string;
  /**
   * OSS only: the image was compiled with the `snapshots` cargo feature. No flag or environment
   * variable turns snapshots on; a build without the feature logs a warning and silently never
   * writes or reads a snapshot.
   *
   * @default - true for OSS 1.x (a default feature there), false for OSS 2.x and later
   */
  readonly snapshotsFeature?: boolean;
  /**
   * Your image ships `file_format: snapshot` (Spice trunk after 2.1; no release is known to ship
   * it): readers with an S3 store then serve accelerated datasets straight from the published
   * snapshots and never build the source's connector, so any source works, databases included.
   * Without it, spiced takes `file_format: snapshot` for an unknown file format and lists the
   * location's `*.snapshot` text files instead, silently. Refused for Spice 2.0.x and older. Other
   * stores are unaffected: `file_format: snapshot` reads `s3://` locations only.
   *
   * @default false
   */
  readonly snapshotFileFormat?: boolean;
}

/** What the chosen image can do; every rendering decision that depends on the image reads this. */
export interface SpiceCapabilities {
  /** The image writes and restores acceleration snapshots. */
  readonly snapshots: boolean;
  /** Readers can hot-swap newer snapshots (`refresh_mode: snapshot`, Enterprise 2.x). */
  readonly snapshotRefreshMode: boolean;
  /** Datasets can read published snapshots directly (`file_format: snapshot`, S3 only): only on the user's word (`SpiceImageSpec.snapshotFileFormat`). */
  readonly snapshotFileFormat: boolean;
  /**
   * `gs://` and `abfss://` snapshot locations take credentials from params and env (so AKS
   * Workload Identity reaches them): spiceai PR #10486, from 2.0.0-rc.5. Before, they fall back to
   * the metadata server (GCS) or IMDS (Azure) only.
   */
  readonly objectStoreCredentials: boolean;
  /**
   * The `spice.ai` connector takes `spiceai_region` and builds a Spice Cloud app's regional endpoint
   * from it (the 2.x connector). Which 2.0 release candidate first parsed it is not known: from the
   * 2.0.0 release.
   */
  readonly spiceCloudRegion: boolean;
}

/** The image after defaults, with what it can do. */
export interface ResolvedSpiceImage {
  readonly edition: SpiceEdition;
  readonly repository: string;
  /** The tag alone, without a digest. */
  readonly tag: string;
  /** `sha256:<hex>` when the image is pinned by digest. */
  readonly digest?: string;
  /** `repository:tag`, or `repository:tag@digest` when pinned by digest, ready for a container spec. */
  readonly reference: string;
  readonly version: SpiceVersion;
  readonly capabilities: SpiceCapabilities;
}

/** A parsed Spice version. */
export interface SpiceVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Release-candidate number of a `-rc.N` tag; undefined for a release. */
  readonly rc?: number;
  /**
   * An earlier pre-release of the version (`-alpha.N`, `-beta.N`, `-dev`, `-unstable`, ...): what it
   * holds is known of no release, so it counts as older than every release candidate of its version.
   */
  readonly preRelease?: string;
}

/** The OSS image used when none is given. */
export const DEFAULT_OSS_IMAGE = { repository: 'spiceai/spiceai', tag: '1.11.5' } as const;

/** First release with acceleration snapshots (v1.8.0, preview). */
const FIRST_SNAPSHOT_VERSION: SpiceVersion = { major: 1, minor: 8, patch: 0 };
/**
 * First release that parses the Spicepods this library writes: writers and the archiver set
 * `snapshots_trigger`, `snapshots_compaction` and `snapshots_creation_policy` (v1.11.0), and
 * acceleration rejects unknown keys.
 */
const FIRST_SUPPORTED_VERSION: SpiceVersion = { major: 1, minor: 11, patch: 0 };
/** `refresh_mode: snapshot` arrived in 2.0.0-rc.5 (Enterprise). */
const FIRST_HOT_SWAP_VERSION: SpiceVersion = { major: 2, minor: 0, patch: 0, rc: 5 };
/** `gs://` and `abfss://` snapshot locations read params and env from 2.0.0-rc.5 (spiceai PR #10486). */
const FIRST_OBJECT_STORE_CREDENTIALS_VERSION: SpiceVersion = { major: 2, minor: 0, patch: 0, rc: 5 };
/** `file_format: snapshot` is in trunk after 2.1 only: no 2.0.x release or older ships it. */
const FIRST_FILE_FORMAT_CANDIDATE: SpiceVersion = { major: 2, minor: 1, patch: 0 };
/** `spiceai_region` is in the 2.x `spice.ai` connector; the release candidate that brought it is not known. */
const FIRST_SPICE_CLOUD_REGION_VERSION: SpiceVersion = { major: 2, minor: 0, patch: 0 };

/** `<major>.<minor>.<patch>`, then a release candidate (`-rc.5`, `-rc5`, `-rc-5`) or an earlier pre-release (`-beta.1`, `-dev`, `-unstable`). */
const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(?:-rc[.-]?(\d+)|-((?:alpha|beta|dev(?:el(?:op(?:ment)?)?)?|unstable|nightly|preview|pre(?:release)?|snapshot|canary)(?:[.-]?\d+)?)(?![a-z]))?/i;

function parseVersion(value: string | undefined): SpiceVersion | undefined {
  const match = typeof value === 'string' ? VERSION.exec(value) : null;
  if (!match) return undefined;
  const rc = match[4] === undefined ? undefined : Number(match[4]);
  const version = { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), rc };
  return match[5] === undefined ? version : { ...version, preRelease: match[5].toLowerCase() };
}

function atLeast(version: SpiceVersion, floor: SpiceVersion): boolean {
  if (version.major !== floor.major) return version.major > floor.major;
  if (version.minor !== floor.minor) return version.minor > floor.minor;
  if (version.patch !== floor.patch) return version.patch > floor.patch;
  // A release is newer than any of its release candidates, which are newer than its earlier pre-releases.
  return preReleaseRank(version) >= preReleaseRank(floor);
}

function preReleaseRank(version: SpiceVersion): number {
  if (version.preRelease !== undefined) return -1;
  return version.rc ?? Infinity;
}

/** Renders a version as `1.11.5`. */
export function formatVersion(version: SpiceVersion): string {
  const rc = version.rc === undefined ? '' : `-rc.${version.rc}`;
  const preRelease = version.preRelease === undefined ? '' : `-${version.preRelease}`;
  return `${version.major}.${version.minor}.${version.patch}${rc}${preRelease}`;
}

function snapshotsCompiledIn(spec: SpiceImageSpec, edition: SpiceEdition, version: SpiceVersion): boolean {
  if (edition === 'enterprise') return true;
  return spec.snapshotsFeature ?? version.major < 2;
}

/**
 * Applies defaults to the image, works out its capabilities and reports what cannot work:
 * an image without snapshots makes every reader boot empty, so it is an error, not a warning
 * (unless the split `usesSnapshots` not at all: readers of a Spice Cloud app).
 */
export function resolveSpiceImage(spec: SpiceImageSpec | undefined, findings: Findings, usesSnapshots = true): ResolvedSpiceImage {
  const given = spec ?? {};
  const edition = given.edition ?? 'oss';
  const editionKnown = edition === 'oss' || edition === 'enterprise';
  if (!editionKnown) {
    findings.problem('image.edition', `${quote(edition)} is not an edition`, "use 'oss' or 'enterprise'");
  }
  const defaults = edition === 'oss' ? DEFAULT_OSS_IMAGE : undefined;
  const repository = given.repository ?? defaults?.repository ?? '';
  checkRepository(repository, findings);
  const { tag, digest, tagRefused } = resolvePin(given, defaults?.tag, findings);
  const version = parseVersion(given.version ?? tag);
  const versionPath = given.version === undefined ? 'image.tag' : 'image.version';
  // A tag refused above is reported once: the fix given there (a pinned release tag) holds the version too.
  if (!version && !(tagRefused && given.version === undefined)) {
    findings.problem(
      versionPath,
      `${quote(given.version ?? tag)} does not start with a Spice version`,
      "set 'image.version' to the Spice version inside the image, e.g. '1.11.5'",
    );
  }
  const resolvedVersion = version ?? { major: 0, minor: 0, patch: 0 };
  const capabilities = capabilitiesOf(given, edition, resolvedVersion);
  // An edition refused above is reported once: what its image lacks would follow from a guess.
  const supported = version !== undefined && editionKnown && checkSnapshotSupport(given, edition, version, versionPath, usesSnapshots, findings);
  if (version) checkSnapshotFileFormat(given, version, findings);
  if (supported && usesSnapshots && capabilities.snapshots && !capabilities.snapshotRefreshMode) {
    findings.warn(
      'no-hot-swap',
      'image.tag',
      `${DISPLAY_NAMES[edition] ?? edition} ${formatVersion(resolvedVersion)} readers cannot hot-swap newer snapshots (Enterprise 2.0.0-rc.5 and later only): a reader picks up a new snapshot only when a new pod or task replaces it (a restarted container keeps its local disk); `
        + 'roll the readers on a schedule (on Kubernetes ReaderRestartSchedule, or restartSchedule of an application in a description file)',
    );
  }
  return { edition, repository, tag, digest, reference: imageReference({ repository, tag, digest }), version: resolvedVersion, capabilities };
}

function checkRepository(repository: string, findings: Findings): void {
  if (!repository) {
    findings.problem(
      'image.repository',
      'is required for the Enterprise edition (there is no public Enterprise image)',
      'set it to your Enterprise image repository, e.g. the AWS Marketplace ECR repository',
    );
    return;
  }
  const invalid = repositoryProblem(repository);
  if (!invalid) return;
  const parts = typeof repository === 'string' ? splitImageReference(repository) : undefined;
  if (parts && (parts.tag !== undefined || parts.digest !== undefined) && !repositoryProblem(parts.repository)) {
    findings.problem(
      'image.repository',
      `${quote(repository)} holds a tag or digest: the image would read ${quote(`${repository}:<tag>`)}`,
      `set it to ${quote(parts.repository)}, the tag in 'image.tag' and a digest in 'image.digest'`,
    );
  } else {
    findings.problem('image.repository', invalid.message, invalid.fix);
  }
}

/** The tag and the digest, from `tag`, `tag@digest` or `tag` and `digest`. */
function resolvePin(given: SpiceImageSpec, defaultTag: string | undefined, findings: Findings): { tag: string; digest?: string; tagRefused: boolean } {
  const inTag = typeof given.tag === 'string' && given.tag.includes('@') ? splitAt(given.tag, '@') : undefined;
  const explicitTag = inTag ? inTag[0] : given.tag;
  if (inTag && given.digest !== undefined && given.digest !== inTag[1]) {
    findings.problem('image.digest', `${quote(given.digest)} differs from the digest in image.tag (${quote(inTag[1])})`, "give the digest once, in 'image.digest' or after the tag");
  }
  const digest = given.digest ?? inTag?.[1];
  if (digest !== undefined) {
    const invalid = digestProblem(digest);
    if (invalid) findings.problem(given.digest === undefined ? 'image.tag' : 'image.digest', invalid.message, invalid.fix);
  }
  const tag = explicitTag ?? defaultTag;
  let tagRefused = true;
  if (digest !== undefined && explicitTag === undefined) {
    findings.problem('image.tag', "is required with 'image.digest': the Spice version, and so what the Spicepods may use, is read from the tag the digest was pushed as", "set it too, e.g. '1.11.5'");
  } else if (tag === undefined) {
    findings.problem('image.tag', 'is required for the Enterprise edition', "pin a tag, e.g. '2.0.1-enterprise-models'");
  } else {
    const invalid = tagProblem(tag, '1.11.5');
    if (invalid) findings.problem('image.tag', invalid.message, invalid.fix);
    // A digest pins the image even when the tag moves.
    else if (digest === undefined && isFloatingTag(tag)) {
      findings.problem(
        'image.tag',
        `${quote(tag)} is a floating tag: writers and readers could run different versions`,
        "pin a release tag, e.g. '1.11.5', or a digest in 'image.digest'",
      );
    } else tagRefused = false;
  }
  return { tag: typeof tag === 'string' ? tag : '', digest, tagRefused };
}

function splitAt(value: string, separator: string): [string, string] {
  const at = value.indexOf(separator);
  return [value.slice(0, at), value.slice(at + separator.length)];
}

function capabilitiesOf(spec: SpiceImageSpec, edition: SpiceEdition, version: SpiceVersion): SpiceCapabilities {
  const snapshots = atLeast(version, FIRST_SNAPSHOT_VERSION) && snapshotsCompiledIn(spec, edition, version);
  const hotSwap = snapshots && edition === 'enterprise' && atLeast(version, FIRST_HOT_SWAP_VERSION);
  // Only on the user's word: no release is known to ship it.
  const fileFormat = snapshots && spec.snapshotFileFormat === true && atLeast(version, FIRST_FILE_FORMAT_CANDIDATE);
  const objectStoreCredentials = atLeast(version, FIRST_OBJECT_STORE_CREDENTIALS_VERSION);
  const spiceCloudRegion = atLeast(version, FIRST_SPICE_CLOUD_REGION_VERSION);
  return { snapshots, snapshotRefreshMode: hotSwap, snapshotFileFormat: fileFormat, objectStoreCredentials, spiceCloudRegion };
}

/** Reports an image that cannot work for this pattern; true when it can. */
function checkSnapshotSupport(
  spec: SpiceImageSpec,
  edition: SpiceEdition,
  version: SpiceVersion,
  path: string,
  usesSnapshots: boolean,
  findings: Findings,
): boolean {
  const shown = formatVersion(version);
  if (!usesSnapshots) return checkReaderOnlySupport(version, path, findings);
  if (!atLeast(version, FIRST_SNAPSHOT_VERSION)) {
    findings.problem(
      path,
      `Spice ${shown} predates acceleration snapshots (first in 1.8.0)`,
      "use Spice 1.11.0 or later, e.g. '1.11.5': snapshots need 1.8.0 or later, the snapshot keys this library writes 1.11.0",
    );
    return false;
  }
  if (!atLeast(version, FIRST_SUPPORTED_VERSION)) {
    findings.problem(
      path,
      `Spice ${shown} cannot parse the writer and archiver Spicepods: they set snapshots_trigger, snapshots_compaction and snapshots_creation_policy, which arrived in 1.11.0, and older releases reject unknown acceleration keys`,
      "use Spice 1.11.0 or later, e.g. '1.11.5'",
    );
    return false;
  }
  // Readers of a Spice Cloud app restore nothing: any edition will do.
  if (edition === 'enterprise' || !usesSnapshots) return true;
  if (!snapshotsCompiledIn(spec, edition, version)) {
    findings.problem(
      'image.edition',
      `the OSS ${shown} image${spec.edition === undefined ? " (edition defaults to 'oss')" : ''} is built without acceleration snapshots: spiced logs "Acceleration Snapshots are included in the Enterprise distribution" and silently never writes or restores one, so every reader would boot empty`,
      "use edition 'enterprise' with an Enterprise image, an OSS 1.x tag such as '1.11.5', or set 'image.snapshotsFeature: true' for an OSS build compiled with the snapshots feature",
    );
    return false;
  }
  findings.warn(
    'oss-snapshots',
    'image.edition',
    `OSS ${shown}: acceleration snapshots are an Enterprise feature in current spiced builds; this OSS 1.x image still ships them as a default cargo feature`,
  );
  return true;
}

/**
 * Readers of a Spice Cloud app run the `spice.ai` connector only: the floor is the release whose
 * connector this library renders for (1.11: `spice.ai:<table>` with `spiceai_endpoint`).
 */
function checkReaderOnlySupport(version: SpiceVersion, path: string, findings: Findings): boolean {
  if (atLeast(version, FIRST_SUPPORTED_VERSION)) return true;
  findings.problem(
    path,
    `Spice ${formatVersion(version)} is older than 1.11.0, the first release whose spice.ai connector this library renders readers for (spice.ai:<table> with spiceai_endpoint and spiceai_api_key)`,
    "use Spice 1.11.0 or later, e.g. '1.11.5'",
  );
  return false;
}

/** `file_format: snapshot` only on the user's word, and never for a release known not to ship it. */
function checkSnapshotFileFormat(spec: SpiceImageSpec, version: SpiceVersion, findings: Findings): void {
  const asserted: unknown = spec.snapshotFileFormat;
  if (asserted === undefined || asserted === false) return;
  if (asserted !== true) {
    findings.problem('image.snapshotFileFormat', `${quote(asserted)} is not true or false`, 'set true only if your image ships file_format: snapshot; leave it out otherwise');
  } else if (!atLeast(version, FIRST_FILE_FORMAT_CANDIDATE)) {
    findings.problem(
      'image.snapshotFileFormat',
      `is true, but Spice ${formatVersion(version)} has no file_format: snapshot (Spice trunk after 2.1 only; no 2.0.x release ships it): spiced would take it for an unknown file format and list the location's *.snapshot text files instead, silently`,
      "remove it (readers then restore snapshots, and hot-swap them on Enterprise 2.0.0-rc.5 and later); set it only for a Spice trunk build that ships it, with 'image.version' if its tag does not start with the version",
    );
  }
}
