/** Label keys this library puts on the objects it renders. */
export const LABELS = {
  split: 'read-write-split.io/split',
  tier: 'read-write-split.io/tier',
  role: 'read-write-split.io/role',
  /** On application pods that run a reader sidecar: the writer cluster accepts queries from them. */
  readerOf: 'read-write-split.io/reader-of',
} as const;

/** Pod template annotation holding the SHA-256 of the Spicepod: pods roll when it changes. */
export const SPICEPOD_CHECKSUM_ANNOTATION = 'read-write-split.io/spicepod-checksum';

/** Tiers of a split's pods. */
export type PodTier = 'writer' | 'archiver';

/** Selector labels of one tier of one split. */
export function tierLabels(split: string, tier: PodTier): Record<string, string> {
  return { [LABELS.split]: split, [LABELS.tier]: tier };
}

/** The labels of one writer role's pods, whatever runs them (StatefulSet, Helm release, SpicepodSet). */
export function writerRoleLabels(split: string, role: string): Record<string, string> {
  return { ...tierLabels(split, 'writer'), [LABELS.role]: role };
}

/** The label Kubernetes puts on every namespace: its name. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A selector of these namespaces by name; every namespace when undefined. */
export function namespacesSelector(names: readonly string[] | undefined): Record<string, unknown> {
  return names === undefined ? {} : { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...names] }] };
}

/** A selector of one namespace, by its name. */
export function namespaceSelector(name: string): { matchLabels: Record<string, string> } {
  return { matchLabels: { [NAMESPACE_NAME_LABEL]: name } };
}
