/**
 * The Spice Helm chart (`spiceai/spiceai`, source `deploy/chart` of spiceai/spiceai): where it is
 * published and which of its versions the library renders values for. The sources of each line
 * are in docs/writer-targets.md and schemas/README.md.
 */
export const SPICE_HELM_CHART = {
  /** The chart as `helm` names it once the repository is added as `spiceai`. */
  name: 'spiceai/spiceai',
  /** `helm repo add spiceai <repository>`. */
  repository: 'https://helm.spiceai.org',
  /**
   * The oldest version the library renders values for: the probes became values in
   * spiceai/spiceai#10696 (2026-05-05, after chart 2.0.0-rc.3), and the chart's values.yaml marked
   * "2.1.0-unstable" has them. Older charts hard-code probes without timings or HTTPS, and before
   * 1.3.0 run the image without the `fsGroup` its volume needs.
   */
  minimumVersion: '2.1.0',
  /** The first version that passes `updateStrategy` to its StatefulSet (spiceai/spiceai#13249). */
  updateStrategyVersion: '2.2.0',
} as const;

/** A parsed chart version (SemVer 2.0). */
export interface ChartVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /**
   * The pre-release part (`rc.1` of `2.2.0-rc.1`).
   *
   * @default - none: a release
   */
  readonly prerelease?: string;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** Parses a chart version; undefined when it is not SemVer (Helm requires SemVer 2 chart versions). */
export function parseChartVersion(version: unknown): ChartVersion | undefined {
  if (typeof version !== 'string') return undefined;
  const match = SEMVER.exec(version);
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), prerelease: match[4] };
}

/**
 * Whether `version` is at least `minimum` (a release). A pre-release of the minimum itself
 * (`2.2.0-rc.1`) comes before it, as SemVer orders them.
 */
export function chartVersionAtLeast(version: ChartVersion, minimum: string): boolean {
  const min = parseChartVersion(minimum)!;
  const order = [version.major - min.major, version.minor - min.minor, version.patch - min.patch].find((d) => d !== 0) ?? 0;
  return order > 0 || (order === 0 && version.prerelease === undefined);
}
