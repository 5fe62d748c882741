import { Construct } from 'constructs';
import { SynthesizedSplit } from '../core';
import { unknownKeyFix } from '../core/description-keys';
import { Findings, quote } from '../core/errors';
import { WriterPodSettings } from './pod-settings';
import { HelmWriterRelease, HelmWriterWorkloads, checkHelmWriterWorkloads } from './helm-writer-release';
import { SpicepodSetWriter, SpicepodSetWriterWorkloads, checkSpicepodSetWriterWorkloads } from './spicepod-set-writer';
import { WriterStatefulSet, WriterStatefulSetOptions } from './writer-statefulset';

export { HelmWriterWorkloads } from './helm-writer-release';
export { SpicepodSetWriterWorkloads } from './spicepod-set-writer';

/**
 * What runs the writer pods of each writer role (the snapshot owner, the query replicas). The rest
 * of the writer cluster (its ServiceAccount, the Service readers dial, the PodDisruptionBudget, the
 * NetworkPolicies, the archiver) is the library's in every case, selecting the writer pods by the
 * tier labels every option puts on them.
 */
export type WriterWorkloads =
  /** The library's StatefulSets (restricted Pod Security Standard, headless Services). */
  | { readonly type: 'statefulsets' }
  /** Helm values for the Spice chart (`spiceai/spiceai` `deploy/chart`), one release per role. */
  | HelmWriterWorkloads
  /** `SpicepodSet`s of the Spice.ai Enterprise operator (`spice.ai/v2`), one per role. */
  | SpicepodSetWriterWorkloads;

/** The workload of one writer role, whatever renders it. */
export type WriterRoleWorkload = WriterStatefulSet | HelmWriterRelease | SpicepodSetWriter;

/** What the workload checks need besides the option: the split (when valid) and the writers' pod settings. */
export interface WriterWorkloadsCheckContext {
  readonly synthesized?: SynthesizedSplit;
  readonly pods?: WriterPodSettings;
}

/** Checks the `workloads` option; paths are rooted where `findings` is. */
export function checkWriterWorkloads(workloads: WriterWorkloads | undefined, findings: Findings, context: WriterWorkloadsCheckContext = {}): void {
  if (workloads === undefined) return;
  checkWorkloadsKeys(workloads, findings);
  switch (workloads?.type) {
    case 'statefulsets':
      return;
    case 'helm':
      return checkHelmWriterWorkloads(workloads, findings.under('workloads'), { pods: { settings: context.pods, findings: findings.under('pods') }, split: context.synthesized?.split });
    case 'spicepodset':
      return checkSpicepodSetWriterWorkloads(workloads, findings.under('workloads'), { synthesized: context.synthesized, pods: { settings: context.pods, findings: findings.under('pods') } });
    default:
      findings.problem('workloads.type', `${quote((workloads as { type?: unknown } | undefined)?.type)} is not a writer workload`, "use 'statefulsets', 'helm' or 'spicepodset'");
  }
}

/** The options of each kind of writer workload. */
const WORKLOADS_KEYS: Readonly<Record<string, readonly string[]>> = {
  statefulsets: ['type'],
  helm: ['type', 'chartVersion', 'podSecurity', 'releaseNames'],
  spicepodset: ['type', 'updateStrategy', 'ownerUpdateStrategy', 'crdFile', 'kubernetesVersion'],
};

/** Keys refused with a reason of their own by the kind's checks. */
const REFUSED_BY_OWN_CHECKS: Readonly<Record<string, readonly string[]>> = { spicepodset: ['standbyVersion'] };

/** Keys of another kind of workload (a Helm chart version for the operator's): from JavaScript or a spread, they would be ignored. */
function checkWorkloadsKeys(workloads: WriterWorkloads, findings: Findings): void {
  const known = WORKLOADS_KEYS[workloads?.type];
  if (!known || typeof workloads !== 'object') return;
  for (const key of Object.keys(workloads)) {
    // A conditional spread leaves a key whose value is undefined: nothing is set.
    if (known.includes(key) || REFUSED_BY_OWN_CHECKS[workloads.type]?.includes(key) || (workloads as unknown as Record<string, unknown>)[key] === undefined) continue;
    const options = known.filter((name) => name !== 'type');
    findings.problem(`workloads.${key}`, `is not an option of ${quote(workloads.type)} writers`, options.length > 0 ? unknownKeyFix(key, options) : 'remove it: they take no options');
  }
}

/** The workload of one writer role, as `workloads` chooses. */
export function writerRoleWorkload(scope: Construct, id: string, workloads: WriterWorkloads | undefined, options: WriterStatefulSetOptions): WriterRoleWorkload {
  switch (workloads?.type) {
    case 'helm':
      return new HelmWriterRelease(scope, id, { ...options, workloads });
    case 'spicepodset':
      return new SpicepodSetWriter(scope, id, { ...options, workloads });
    default:
      return new WriterStatefulSet(scope, id, options);
  }
}
