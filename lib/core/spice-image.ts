import { DISPLAY_NAMES, Findings, quote } from './errors';

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
   * Pinned image tag, e.g. `1.11.5` or `2.0.1-enterprise-models`. Floating tags (`latest`) are refused.
   *
   * @default '1.11.5' for the OSS edition; required for Enterprise
   */
  readonly tag?: string;
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
   * @default - true for OSS 1.8 to 1.x (a default feature there), false for OSS 2.x and later
   */
  readonly snapshotsFeature?: boolean;
}

/** What the chosen image can do; every rendering decision that depends on the image reads this. */
export interface SpiceCapabilities {
  /** The image writes and restores acceleration snapshots. */
  readonly snapshots: boolean;
  /** Readers can hot-swap newer snapshots (`refresh_mode: snapshot`, Enterprise 2.x). */
  readonly snapshotRefreshMode: boolean;
  /** Datasets can read published snapshots directly (`file_format: snapshot`, Enterprise 2.x, S3 only). */
  readonly snapshotFileFormat: boolean;
}

/** The image after defaults, with what it can do. */
export interface ResolvedSpiceImage {
  readonly edition: SpiceEdition;
  readonly repository: string;
  readonly tag: string;
  /** `repository:tag`, ready for a container spec. */
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
}

/** The OSS image used when none is given. */
export const DEFAULT_OSS_IMAGE = { repository: 'spiceai/spiceai', tag: '1.11.5' } as const;

/** First release with acceleration snapshots (v1.8.0, preview). */
const FIRST_SNAPSHOT_VERSION: SpiceVersion = { major: 1, minor: 8, patch: 0 };

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(?:-rc\.?(\d+))?/;
/** `refresh_mode: snapshot` and `file_format: snapshot` arrived in 2.0.0-rc.5 (Enterprise). */
const FIRST_HOT_SWAP_VERSION: SpiceVersion = { major: 2, minor: 0, patch: 0, rc: 5 };
const FLOATING_TAG = /^(latest|stable|nightly)(-|$)/;

function parseVersion(value: string | undefined): SpiceVersion | undefined {
  const match = value === undefined ? null : VERSION.exec(value);
  if (!match) return undefined;
  const rc = match[4] === undefined ? undefined : Number(match[4]);
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), rc };
}

function atLeast(version: SpiceVersion, floor: SpiceVersion): boolean {
  if (version.major !== floor.major) return version.major > floor.major;
  if (version.minor !== floor.minor) return version.minor > floor.minor;
  if (version.patch !== floor.patch) return version.patch > floor.patch;
  // A release is newer than any of its release candidates.
  return (version.rc ?? Infinity) >= (floor.rc ?? Infinity);
}

/** Renders a version as `1.11.5`. */
export function formatVersion(version: SpiceVersion): string {
  const rc = version.rc === undefined ? '' : `-rc.${version.rc}`;
  return `${version.major}.${version.minor}.${version.patch}${rc}`;
}

function snapshotsCompiledIn(spec: SpiceImageSpec, edition: SpiceEdition, version: SpiceVersion): boolean {
  if (edition === 'enterprise') return true;
  return spec.snapshotsFeature ?? version.major < 2;
}

/**
 * Applies defaults to the image, works out its capabilities and reports what cannot work:
 * an image without snapshots makes every reader boot empty, so it is an error, not a warning.
 */
export function resolveSpiceImage(spec: SpiceImageSpec | undefined, findings: Findings): ResolvedSpiceImage {
  const given = spec ?? {};
  const edition = given.edition ?? 'oss';
  if (edition !== 'oss' && edition !== 'enterprise') {
    findings.problem('image.edition', `${quote(edition)} is not an edition`, "use 'oss' or 'enterprise'");
  }
  const defaults = edition === 'oss' ? DEFAULT_OSS_IMAGE : undefined;
  const repository = given.repository ?? defaults?.repository ?? '';
  const tag = given.tag ?? defaults?.tag ?? '';
  if (!repository) {
    findings.problem(
      'image.repository',
      'is required for the Enterprise edition (there is no public Enterprise image)',
      'set it to your Enterprise image repository, e.g. the AWS Marketplace ECR repository',
    );
  }
  checkTag(tag, findings);
  const version = parseVersion(given.version ?? tag);
  if (!version) {
    findings.problem(
      given.version === undefined ? 'image.tag' : 'image.version',
      `${quote(given.version ?? tag)} does not start with a Spice version`,
      "set 'image.version' to the Spice version inside the image, e.g. '1.11.5'",
    );
  }
  const resolvedVersion = version ?? { major: 0, minor: 0, patch: 0 };
  const capabilities = capabilitiesOf(given, edition, resolvedVersion);
  if (version) checkSnapshotSupport(given, edition, version, findings);
  if (version && capabilities.snapshots && !capabilities.snapshotRefreshMode) {
    findings.warn(
      'no-hot-swap',
      'image.tag',
      `${DISPLAY_NAMES[edition] ?? edition} ${formatVersion(version)} readers cannot hot-swap newer snapshots (Enterprise 2.0.0-rc.5 and later only): a reader picks up a new snapshot only when it restarts with an empty local disk`,
    );
  }
  return {
    edition,
    repository,
    tag,
    reference: `${repository}:${tag}`,
    version: resolvedVersion,
    capabilities,
  };
}

function checkTag(tag: string, findings: Findings): void {
  if (!tag) {
    findings.problem('image.tag', 'is required for the Enterprise edition', "pin a tag, e.g. '2.0.1-enterprise-models'");
  } else if (FLOATING_TAG.test(tag)) {
    findings.problem(
      'image.tag',
      `${quote(tag)} is a floating tag: writers and readers could run different versions`,
      "pin a release tag, e.g. '1.11.5'",
    );
  }
}

function capabilitiesOf(spec: SpiceImageSpec, edition: SpiceEdition, version: SpiceVersion): SpiceCapabilities {
  const snapshots = atLeast(version, FIRST_SNAPSHOT_VERSION) && snapshotsCompiledIn(spec, edition, version);
  const hotSwap = snapshots && edition === 'enterprise' && atLeast(version, FIRST_HOT_SWAP_VERSION);
  return { snapshots, snapshotRefreshMode: hotSwap, snapshotFileFormat: hotSwap };
}

function checkSnapshotSupport(
  spec: SpiceImageSpec,
  edition: SpiceEdition,
  version: SpiceVersion,
  findings: Findings,
): void {
  const shown = formatVersion(version);
  if (!atLeast(version, FIRST_SNAPSHOT_VERSION)) {
    findings.problem(
      'image.tag',
      `Spice ${shown} predates acceleration snapshots (first in 1.8.0)`,
      'use Spice 1.8.0 or later',
    );
    return;
  }
  if (edition === 'enterprise') return;
  if (!snapshotsCompiledIn(spec, edition, version)) {
    findings.problem(
      'image.edition',
      `the OSS ${shown} image is built without acceleration snapshots: spiced logs "Acceleration Snapshots are included in the Enterprise distribution" and silently never writes or restores one, so every reader would boot empty`,
      "use edition 'enterprise' with an Enterprise image, an OSS 1.x tag such as '1.11.5', or set 'image.snapshotsFeature: true' for an OSS build compiled with the snapshots feature",
    );
    return;
  }
  findings.warn(
    'oss-snapshots',
    'image.edition',
    `OSS ${shown}: acceleration snapshots are an Enterprise feature in current spiced builds; this OSS 1.x image still ships them as a default cargo feature`,
  );
}
