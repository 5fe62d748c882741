import { Construct } from 'constructs';
import type * as Yaml from 'yaml';
import { Findings, quote } from '../core/errors';
import { WriterRole, writerStatefulSetName } from '../core';
import { chartVersionAtLeast, parseChartVersion, SPICE_HELM_CHART } from './helm-chart-version';
import { helmWriterValues, SpiceChartValues } from './helm-writer-values';
import type { WriterPodSettings } from './pod-settings';
import type { WriterStatefulSetOptions } from './writer-statefulset';

/** Helm release names of the writer roles. */
export interface HelmWriterReleaseNames {
  /**
   * Release of the snapshot owner.
   *
   * @default - the name of the library's StatefulSet, `<split>-writer-owner`
   */
  readonly snapshotOwner?: string;
  /**
   * Release of the query replicas.
   *
   * @default - the name of the library's StatefulSet, `<split>-writer-replica`
   */
  readonly queryReplica?: string;
}

/**
 * The writer roles as values for the Spice Helm chart (`spiceai/spiceai`, `deploy/chart`), one
 * release per role; the library still renders the rest of the writer cluster. See
 * docs/writer-targets.md for what each value comes from and what the chart cannot express.
 */
export interface HelmWriterWorkloads {
  readonly type: 'helm';
  /**
   * The chart version you install (`helm upgrade --install ... --version <chartVersion>`); the
   * values are rendered for it. 2.1.0 or later; `updateStrategy` is rendered from 2.2.0.
   */
  readonly chartVersion: string;
  /**
   * The Pod Security Standard the writer pods meet, stated explicitly: the chart hard-codes a
   * securityContext without a seccomp profile and without dropping ALL capabilities, so its pods
   * fail the restricted standard. The split's Namespace then enforces `baseline` (warn and audit
   * stay `restricted`).
   */
  readonly podSecurity: 'baseline';
  /**
   * Helm release names. The chart names its volume claims after the release: renaming a release
   * orphans its writers' volumes (they bootstrap again from snapshots).
   *
   * @default - the names of the library's StatefulSets
   */
  readonly releaseNames?: HelmWriterReleaseNames;
}

/** Helm's limit on release names: a DNS label of at most 53 characters. */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/;

/** What the `helm` checks need besides the option itself. */
export interface HelmWriterCheckContext {
  /** The writer cluster's pod settings, and the findings rooted at them (`pods`). */
  readonly pods?: { readonly settings: WriterPodSettings | undefined; readonly findings: Findings };
  /** The split, when valid: its name gives the release names not given, its writer replicas whether the query replicas have one. */
  readonly split?: { readonly name: string; readonly writer: { readonly replicas: number } };
}

/**
 * Checks the Helm workloads, and the writer pod settings the chart cannot express; paths are
 * rooted where `findings` is (`workloads`), the pod settings' where `context.pods.findings` is.
 */
export function checkHelmWriterWorkloads(workloads: HelmWriterWorkloads, findings: Findings, context: HelmWriterCheckContext = {}): void {
  const version = parseChartVersion(workloads.chartVersion);
  const minimum = SPICE_HELM_CHART.minimumVersion;
  if (workloads.chartVersion === undefined) {
    findings.problem('chartVersion', "is missing: the values are written for the chart's version", `give the Spice chart's SemVer version you install, e.g. '${SPICE_HELM_CHART.updateStrategyVersion}'`);
  } else if (!version) {
    findings.problem('chartVersion', `${quote(workloads.chartVersion)} is not a chart version`, `give the Spice chart's SemVer version you install, e.g. '${SPICE_HELM_CHART.updateStrategyVersion}'`);
  } else if (!chartVersionAtLeast(version, minimum)) {
    findings.problem('chartVersion', `${quote(workloads.chartVersion)} is older than chart ${minimum}, whose probes are values (older charts hard-code them)`, `use chart ${minimum} or later (${SPICE_HELM_CHART.updateStrategyVersion}+ to render updateStrategy)`);
  }
  if (workloads.podSecurity === undefined) {
    findings.problem('podSecurity', "is missing: the Namespace must enforce what the chart's pods meet, and their securityContext has no seccomp profile and drops no capabilities", "set podSecurity: 'baseline' (the Namespace then enforces baseline), or use type 'statefulsets' for the restricted standard");
  } else if (workloads.podSecurity !== 'baseline') {
    findings.problem('podSecurity', `${quote(workloads.podSecurity)} is not what the chart's pods meet: its securityContext has no seccomp profile and drops no capabilities`, "set podSecurity: 'baseline' (the Namespace then enforces baseline), or use type 'statefulsets' for the restricted standard");
  }
  const names = workloads.releaseNames ?? {};
  for (const key of ['snapshotOwner', 'queryReplica'] as const) {
    const name = names[key];
    if (name !== undefined && (typeof name !== 'string' || !RELEASE_NAME.test(name))) {
      findings.problem(`releaseNames.${key}`, `${quote(name)} is not a Helm release name`, "use at most 53 lowercase letters, digits and '-', starting and ending with a letter or digit");
    }
  }
  // Each role's release, given or by default: one release for both would upgrade the owner away.
  const split = context.split;
  const owner = names.snapshotOwner ?? (split && writerStatefulSetName(split.name, 'snapshot-owner'));
  const replica = names.queryReplica ?? (split && writerStatefulSetName(split.name, 'query-replica'));
  const bothRendered = split === undefined || split.writer.replicas > 1;
  if (owner !== undefined && owner === replica && bothRendered) {
    const [key, other] = names.queryReplica !== undefined ? ['queryReplica', "snapshot owner's"] : ['snapshotOwner', "query replicas'"];
    findings.problem(`releaseNames.${key}`, `${quote(owner)} is also the ${other} release`, 'give each writer role its own release');
  }
  const pods = context.pods?.settings;
  const podFindings = context.pods?.findings;
  if (!pods || !podFindings) return;
  const unsupported = (setting: string, why: string) => podFindings.problem(setting, `is not rendered with workloads type 'helm': ${why}`, "remove it, or use workloads type 'statefulsets'");
  if (pods.podAnnotations && Object.keys(pods.podAnnotations).length > 0) unsupported('podAnnotations', 'the chart has no pod-annotation value');
  if (pods.priorityClassName !== undefined) unsupported('priorityClassName', 'the chart has no priorityClassName value');
  // additionalLabels reach the chart's selector and template beside its own labels: the same key twice breaks the install.
  for (const key of Object.keys(pods.podLabels ?? {}).filter((label) => CHART_OWN_LABEL.test(label))) {
    podFindings.problem(`podLabels.${key}`, 'is a label the chart sets itself (its selector and template would carry it twice, and helm install fails)', "use another key, e.g. 'example.com/team'");
  }
  if (pods.updateStrategy !== undefined && version && !chartVersionAtLeast(version, SPICE_HELM_CHART.updateStrategyVersion)) {
    podFindings.problem('updateStrategy', `is not rendered: chart ${workloads.chartVersion} has no updateStrategy value`, `use workloads.chartVersion ${SPICE_HELM_CHART.updateStrategyVersion} or later, or remove it`);
  }
}

/** Labels the chart writes on its objects itself (`_helpers.tpl`): `app`, `app.kubernetes.io/*`, `helm.sh/chart`. */
const CHART_OWN_LABEL = /^(app|app\.kubernetes\.io\/.+|helm\.sh\/chart)$/;

/** Props of one writer role's Helm release. */
export type HelmWriterReleaseProps = WriterStatefulSetOptions & { readonly workloads: HelmWriterWorkloads };

let yaml: typeof Yaml | undefined;

/**
 * One writer role as a release of the Spice Helm chart: its values, which the library does not
 * apply. It renders no Kubernetes object; write `valuesYaml` next to the manifests and install it
 * with `helmCommand()`.
 *
 * @throws SplitValidationError when the workloads or the pod settings cannot be rendered for the chart
 */
export class HelmWriterRelease extends Construct {
  /** The chart's StatefulSet name (`fullnameOverride`): the library's StatefulSet name for this role. */
  public readonly name: string;
  public readonly releaseName: string;
  public readonly role: WriterRole;
  /** The namespace to install the release into: the split's. */
  public readonly namespace: string;
  public readonly chartVersion: string;
  /** The chart's values for this role, as a plain object. */
  public readonly values: SpiceChartValues;
  private readonly splitName: string;

  constructor(scope: Construct, id: string, props: HelmWriterReleaseProps) {
    super(scope, id);
    const { split, role, workloads } = props;
    // Rooted as the chart's props are, should it reach here unchecked.
    const findings = new Findings(undefined, 'props');
    checkHelmWriterWorkloads(workloads, findings.under('workloads'), { pods: { settings: props.settings, findings: findings.under('pods') }, split });
    findings.throwIfProblems(split.name, this.node.path);
    this.name = writerStatefulSetName(split.name, role);
    this.role = role;
    this.splitName = split.name;
    const named = role === 'snapshot-owner' ? workloads.releaseNames?.snapshotOwner : workloads.releaseNames?.queryReplica;
    this.releaseName = named ?? this.name;
    this.namespace = split.namespace;
    this.chartVersion = workloads.chartVersion;
    const version = parseChartVersion(workloads.chartVersion)!;
    this.values = helmWriterValues(props, { updateStrategy: chartVersionAtLeast(version, SPICE_HELM_CHART.updateStrategyVersion) });
  }

  /** The command that installs or upgrades this release from a values file. */
  public helmCommand(valuesFile = `${this.releaseName}.values.yaml`): string {
    return `helm upgrade --install ${this.releaseName} ${SPICE_HELM_CHART.name} --version ${this.chartVersion} -n ${this.namespace} -f ${valuesFile}`;
  }

  /** The values as YAML, headed by how to install them (for `<release>.values.yaml`). */
  public get valuesYaml(): string {
    // Loaded on first use, as spicepodToYaml does.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    yaml ??= require('yaml') as typeof Yaml;
    const header = [
      `# Values of the Spice Helm chart for the ${this.role} of split "${this.splitName}" (namespace ${this.namespace}).`,
      '# Generated by read-write-split from the split description; do not edit.',
      `# The split's other objects (ServiceAccount, Service, PDB, NetworkPolicies) come from its manifests: apply those first.`,
      `#   helm repo add spiceai ${SPICE_HELM_CHART.repository}`,
      `#   ${this.helmCommand()}`,
    ].join('\n');
    return `${header}\n${yaml.stringify(this.values, { lineWidth: 0 })}`;
  }
}
