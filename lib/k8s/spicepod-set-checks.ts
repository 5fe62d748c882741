import { defaultFlightEndpoint, SynthesizedSplit } from '../core';
import { Findings, quote } from '../core/errors';
import { flightEndpointParts } from '../core/flight-tls';
import type { WriterPodSettings } from './pod-settings';
import { loadSpicepodSetCrd } from './spicepod-set-crd';
import type { SpicepodSetUpdateStrategy, SpicepodSetWriterWorkloads } from './spicepod-set-writer';

/** What the `spicepodset` checks need besides the option itself. */
export interface SpicepodSetWriterCheckContext {
  /** The synthesized split, when it is valid: its writer TLS, image and endpoint are checked. */
  readonly synthesized?: SynthesizedSplit;
  /** The writer cluster's pod settings, and the findings rooted at them (`pods`). */
  readonly pods?: { readonly settings: WriterPodSettings | undefined; readonly findings: Findings };
}

/** The operator's minimum Kubernetes version (spicehq/docs `enterprise/kubernetes/README.md`). */
export const SPICEPODSET_MIN_KUBERNETES = { major: 1, minor: 33 } as const;

const STRATEGIES = ['RollingOrdered', 'RollingParallel', 'BlueGreen'];
const KUBERNETES_VERSION = /^v?(\d+)\.(\d+)(\.\d+)?([-+][0-9A-Za-z.+-]*)?$/;
/** Label and annotation keys the operator's admission webhook refuses on `spec.labels` / `spec.annotations`. */
const OPERATOR_PREFIX = 'spice.ai/';

/** Why the snapshot owner never runs two generations at once. */
const OWNER_REASON = {
  BlueGreen: 'would run the old and the new snapshot owner side by side until the cutover: two uploaders to one snapshot location; and each generation starts on new, empty volumes, so the new owner refreshes every dataset from its source and uploads from scratch',
  RollingParallel: "keeps at least one pod available, which for the owner's single pod can only mean starting its successor before it stops: two uploaders",
} as const;

function checkStrategy(strategy: SpicepodSetUpdateStrategy | undefined, path: string, findings: Findings): void {
  if (strategy === undefined) return;
  if (!STRATEGIES.includes(strategy?.type)) {
    findings.problem(`${path}.type`, `${quote(strategy?.type)} is not a SpicepodSet update strategy`, "use 'RollingOrdered', 'RollingParallel' or 'BlueGreen'");
    return;
  }
  const maxUnavailable = (strategy as { maxUnavailable?: unknown }).maxUnavailable;
  if (maxUnavailable !== undefined && (strategy.type !== 'RollingParallel' || !Number.isInteger(maxUnavailable) || (maxUnavailable as number) < 1)) {
    findings.problem(`${path}.maxUnavailable`, `${quote(maxUnavailable)} is not a maxUnavailable of a RollingParallel rollout`, "use a whole number of 1 or more with type 'RollingParallel'");
  }
}

/**
 * Checks the `spicepodset` writer workloads; paths are rooted where `findings` is (`workloads`),
 * the pod settings' where `context.pods.findings` is.
 */
export function checkSpicepodSetWriterWorkloads(workloads: SpicepodSetWriterWorkloads, findings: Findings, context: SpicepodSetWriterCheckContext = {}): void {
  checkStrategy(workloads.updateStrategy, 'updateStrategy', findings);
  const owner = workloads.ownerUpdateStrategy;
  checkStrategy(owner, 'ownerUpdateStrategy', findings);
  if (owner?.type === 'BlueGreen' || owner?.type === 'RollingParallel') {
    findings.problem('ownerUpdateStrategy.type', `${quote(owner.type)} ${OWNER_REASON[owner.type]}`, "use 'RollingOrdered' (the default) for the snapshot owner; updateStrategy sets the query replicas'");
  }
  if ((workloads as { standbyVersion?: unknown }).standbyVersion !== undefined) {
    findings.problem(
      'standbyVersion',
      "is not rendered: a standby generation keeps running beside the new one, and the library's Service, PodDisruptionBudget and NetworkPolicies select writer pods by label, not by the operator's version-pinned selector, so readers would keep reaching the previous Spicepod (and a standby snapshot owner is a second uploader)",
      'remove it',
    );
  }
  checkKubernetesVersion(workloads.kubernetesVersion, findings);
  if (workloads.crdFile !== undefined) {
    if (typeof workloads.crdFile !== 'string' || workloads.crdFile === '') {
      findings.problem('crdFile', `${quote(workloads.crdFile)} is not a file path`, "give the path of the operator's CRD, e.g. 'spicepodsets.spice.ai.yaml'");
    } else {
      const crd = loadSpicepodSetCrd(workloads.crdFile);
      if (!crd.ok) findings.problem('crdFile', `${quote(workloads.crdFile)} ${crd.message}`, crd.fix);
    }
  }
  if (context.synthesized) checkSplitForOperator(workloads, context.synthesized, findings);
  if (context.pods) checkPodSettingsForOperator(context.pods.settings, context.pods.findings);
}

function checkKubernetesVersion(version: string | undefined, findings: Findings): void {
  if (version === undefined) return;
  const match = typeof version === 'string' ? KUBERNETES_VERSION.exec(version) : null;
  if (!match) {
    findings.problem('kubernetesVersion', `${quote(version)} is not a Kubernetes version`, "use e.g. '1.33' or 'v1.34.2'");
    return;
  }
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const { major: needMajor, minor: needMinor } = SPICEPODSET_MIN_KUBERNETES;
  if (major < needMajor || (major === needMajor && minor < needMinor)) {
    findings.problem('kubernetesVersion', `${quote(version)} is older than the operator supports (Kubernetes ${needMajor}.${needMinor}+)`, "upgrade the cluster, or use the library's StatefulSets (workloads: { type: 'statefulsets' })");
  }
}

function checkSplitForOperator(workloads: SpicepodSetWriterWorkloads, synthesized: SynthesizedSplit, findings: Findings): void {
  const { split } = synthesized;
  if (split.writer.tls) {
    findings.problem(
      'type',
      "'spicepodset' cannot serve the split's writer.tls: spiced reads the certificate from files, and the SpicepodSet documents no Secret volume to mount them from",
      "remove writer.tls (and flightCertificate), or use the library's StatefulSets (workloads: { type: 'statefulsets' })",
    );
  }
  if (split.image.digest) {
    findings.problem(
      'type',
      `'spicepodset' cannot pin the image by digest (${split.image.digest}): the SpicepodSet documents image.repository and image.tag only`,
      "remove image.digest and pin a release tag, or use the library's StatefulSets (workloads: { type: 'statefulsets' })",
    );
  }
  // Readers dial the library's Service over both roles; the operator's per-role Services are not the endpoint.
  const host = flightEndpointParts(split.writer.flightEndpoint)?.host ?? '';
  const operatorService = new RegExp(`^(spicepod-)?${split.name}-writer-(owner|replica)(\\.|$)`);
  if (operatorService.test(host)) {
    findings.problem(
      'type',
      `readers would dial ${quote(split.writer.flightEndpoint)}, the operator's own Service of one writer role: it reaches that role's pods only, its name is documented two ways (svc/<name> and svc/spicepod-<name>), and the readers' egress NetworkPolicies count only the library's Service ${quote(`${split.name}-writer`)} as the in-cluster writers`,
      `leave split.writer.flightEndpoint out: readers then dial ${quote(defaultFlightEndpoint(split.name, split.namespace))}, the library's Service over every writer pod of both SpicepodSets`,
    );
  }
  if (workloads.updateStrategy !== undefined && split.writer.replicas === 1) {
    findings.problem('updateStrategy', 'sets the query replicas\' rollout, but the split has a single writer (the snapshot owner, which always rolls RollingOrdered)', 'remove it, or raise writer.replicas');
  }
  // The operator expresses rollouts as parallel, suffixed StatefulSets (spicepodset.md): whether a
  // RollingOrdered rollout of a one-pod set ever overlaps the old and the new pod is not documented.
  const warn = (id: string, message: string) => findings.warn(id, 'type', message);
  warn(
    'spicepodset-owner-rollout',
    "the operator rolls a SpicepodSet out as \"parallel, suffixed StatefulSets\": that a RollingOrdered rollout of the one-pod snapshot owner never runs the old and the new owner together (two uploaders) is not documented, nor whether the new one keeps the volume; watch the first rollout (kubectl get statefulsets,pods -l read-write-split.io/role=snapshot-owner)",
  );
  if (split.writer.replicas > 1) {
    warn(
      'spicepodset-node-spread',
      "the SpicepodSet has no topology spread: nodeSpread is not applied, and two writers may share a node (a node loss then takes both); the PodDisruptionBudget still limits voluntary evictions to one writer at a time",
    );
  }
}

function checkPodSettingsForOperator(settings: WriterPodSettings | undefined, findings: Findings): void {
  if (!settings) return;
  const fieldless = "the SpicepodSet documents no such field (see docs/writer-targets.md)";
  if (settings.updateStrategy !== undefined) {
    findings.problem('updateStrategy', 'is a StatefulSet update strategy, which the SpicepodSets do not have', 'remove it and set workloads.updateStrategy (the query replicas\' RollingOrdered, RollingParallel or BlueGreen)');
  }
  if (settings.priorityClassName !== undefined) findings.problem('priorityClassName', `cannot be applied to the writers: ${fieldless}`, "remove it, or use the library's StatefulSets");
  if ((settings.imagePullSecrets?.length ?? 0) > 1) {
    findings.problem('imagePullSecrets', `lists ${settings.imagePullSecrets!.length} Secrets, but the SpicepodSet takes one (image.pullSecret)`, 'merge the registries into one docker-registry Secret and list it alone');
  }
  for (const key of Object.keys(settings.affinity ?? {}).filter((k) => k !== 'nodeAffinity')) {
    findings.problem(`affinity.${key}`, `cannot be applied to the writers: the SpicepodSet has nodeAffinity only`, 'remove it, or express the placement with nodeSelector, affinity.nodeAffinity and tolerations');
  }
  for (const [name, values] of [['podLabels', settings.podLabels], ['podAnnotations', settings.podAnnotations]] as const) {
    for (const key of Object.keys(values ?? {}).filter((k) => k.startsWith(OPERATOR_PREFIX))) {
      findings.problem(`${name}[${quote(key)}]`, `${quote(key)} is reserved by the operator (its admission webhook refuses ${OPERATOR_PREFIX}* keys in spec.labels and spec.annotations)`, 'use a key of your own');
    }
  }
}
