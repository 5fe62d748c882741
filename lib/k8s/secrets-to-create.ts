import { isMapping } from '../core/mapping';

/**
 * A Secret that manifests read and none of them creates: what the user must create (by hand, with
 * External Secrets, Sealed Secrets, ...) before the pods can start.
 */
export interface SecretToCreate {
  readonly namespace: string;
  readonly name: string;
  /** The keys read; empty when a whole Secret is read (`envFrom`, a volume without `items`, an image pull Secret). */
  readonly keys: readonly string[];
  /**
   * `kubernetes.io/dockerconfigjson` for an image pull Secret (`kubectl create secret docker-registry`).
   *
   * @default - any type (an `Opaque` Secret will do)
   */
  readonly type?: string;
  /** True when every reference is `optional: true`: the pods start without it. */
  readonly optional: boolean;
  /** The objects that read it, as `Kind/name`. */
  readonly readBy: readonly string[];
}

type Json = Record<string, unknown>;

const DOCKER_CONFIG_JSON = 'kubernetes.io/dockerconfigjson';

/** What one reference asks of a Secret. */
interface SecretReference {
  readonly name: string;
  readonly key?: string;
  readonly optional: boolean;
  /** Set by a reference that names its own namespace (a CSI PersistentVolume's, a cert-manager ClusterIssuer's). */
  readonly namespace?: string;
  readonly type?: string;
}

/**
 * The Secrets that Kubernetes manifests (as `chart.toJson()` gives them, or parsed from
 * `cdk8s synth`'s YAML) read and that none of them creates. Read: `secretKeyRef`, `envFrom`
 * `secretRef`, secret and projected volumes, CSI `...SecretRef`s (in the namespace they name),
 * `imagePullSecrets`, a SpicepodSet's `image.pullSecret`, anywhere in an object (pod templates,
 * Helm values). Created: a `Secret`, an External Secrets `ExternalSecret` that owns its target (not
 * `creationPolicy: Merge` or `None`), a cert-manager `Certificate`, a `SealedSecret`, a Secrets
 * Store CSI `SecretProviderClass`'s `secretObjects`. An object without a namespace is counted in
 * `defaultNamespace`. Writer roles rendered as Helm releases are no object: pass each as
 * `{ kind: 'HelmRelease', metadata: { name: release.releaseName, namespace: release.namespace }, values: release.values }`.
 */
export function secretsToCreate(manifests: readonly unknown[], defaultNamespace = 'default'): SecretToCreate[] {
  const created = new Set<string>();
  const wanted = new Map<string, { namespace: string; name: string; keys: Set<string>; wholeSecret: boolean; optional: boolean; type?: string; readBy: Set<string> }>();
  for (const manifest of manifests) {
    if (!isMapping(manifest)) continue;
    const metadata = isMapping(manifest.metadata) ? manifest.metadata : {};
    const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : defaultNamespace;
    for (const name of createdSecretNames(manifest)) created.add(`${namespace}/${name}`);
    const reader = `${String(manifest.kind)}/${String(metadata.name)}`;
    for (const reference of secretReferences(manifest)) {
      const inNamespace = reference.namespace ?? namespace;
      const id = `${inNamespace}/${reference.name}`;
      let entry = wanted.get(id);
      if (!entry) wanted.set(id, entry = { namespace: inNamespace, name: reference.name, keys: new Set(), wholeSecret: false, optional: true, readBy: new Set() });
      if (reference.key === undefined) entry.wholeSecret = true;
      else entry.keys.add(reference.key);
      entry.optional &&= reference.optional;
      entry.type ??= reference.type;
      entry.readBy.add(reader);
    }
  }
  return [...wanted].filter(([id]) => !created.has(id)).sort(([a], [b]) => a.localeCompare(b)).map(([, entry]) => ({
    namespace: entry.namespace,
    name: entry.name,
    keys: entry.wholeSecret ? [] : [...entry.keys].sort(),
    ...(entry.type === undefined ? {} : { type: entry.type }),
    optional: entry.optional,
    readBy: [...entry.readBy].sort(),
  }));
}

/** The Secrets an object creates, by the names they will have. */
function createdSecretNames(manifest: Json): string[] {
  const metadata = isMapping(manifest.metadata) ? manifest.metadata : {};
  const spec = isMapping(manifest.spec) ? manifest.spec : {};
  const group = typeof manifest.apiVersion === 'string' ? manifest.apiVersion.split('/')[0] : '';
  const names = (...values: unknown[]) => values.filter((value): value is string => typeof value === 'string');
  if (manifest.kind === 'Secret' && manifest.apiVersion === 'v1') return names(metadata.name);
  if (manifest.kind === 'SealedSecret') return names(metadata.name);
  if (manifest.kind === 'ExternalSecret' && group === 'external-secrets.io') {
    const target = isMapping(spec.target) ? spec.target : {};
    // `Merge` and `None` write into a Secret that must exist already (or write none).
    if (target.creationPolicy === 'Merge' || target.creationPolicy === 'None') return [];
    return names(stringOr(target.name) ?? metadata.name);
  }
  if (manifest.kind === 'Certificate' && group === 'cert-manager.io') return names(spec.secretName);
  // The Secrets Store CSI driver syncs these while a pod mounts the class.
  if (manifest.kind === 'SecretProviderClass' && Array.isArray(spec.secretObjects)) return names(...spec.secretObjects.filter(isMapping).map((object) => object.secretName));
  return [];
}

/** Every Secret reference anywhere in an object: pod templates, Helm values, a Pod itself. */
function secretReferences(value: unknown): SecretReference[] {
  const found: SecretReference[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!isMapping(node)) return;
    found.push(...referencesHeldBy(node));
    for (const child of Object.values(node)) visit(child);
  };
  visit(value);
  return found;
}

/** The references one object holds directly (its children are visited on their own). */
function referencesHeldBy(node: Json): SecretReference[] {
  const references: SecretReference[] = [];
  // env[].valueFrom.secretKeyRef and envFrom[].secretRef
  if (isMapping(node.secretKeyRef) && typeof node.secretKeyRef.name === 'string') {
    references.push({ name: node.secretKeyRef.name, key: stringOr(node.secretKeyRef.key), optional: node.secretKeyRef.optional === true });
  }
  // envFrom[].secretRef, and the `...SecretRef`s of CSI volumes and PersistentVolumes (which may name a namespace)
  for (const [key, ref] of Object.entries(node)) {
    if (!/(^s|S)ecretRef$/.test(key) || !isMapping(ref) || typeof ref.name !== 'string') continue;
    references.push({ name: ref.name, key: stringOr(ref.key), optional: ref.optional === true, namespace: stringOr(ref.namespace) });
  }
  // volumes[].secret, and a SecretKeySelector elsewhere (a PodMonitor's tlsConfig, basicAuth)
  if (isMapping(node.secret)) {
    if (typeof node.secret.secretName === 'string') references.push(...volumeReferences(node.secret.secretName, node.secret));
    else if (typeof node.secret.name === 'string' && typeof node.secret.key === 'string') {
      references.push({ name: node.secret.name, key: node.secret.key, optional: node.secret.optional === true });
    }
  }
  // volumes[].projected.sources[].secret
  if (isMapping(node.projected) && Array.isArray(node.projected.sources)) {
    for (const source of node.projected.sources) {
      if (isMapping(source) && isMapping(source.secret) && typeof source.secret.name === 'string') references.push(...volumeReferences(source.secret.name, source.secret));
    }
  }
  // imagePullSecrets of a pod (or Helm values), and a SpicepodSet's image.pullSecret
  const pullSecrets = [...(Array.isArray(node.imagePullSecrets) ? node.imagePullSecrets : []), ...(typeof node.pullSecret === 'string' ? [node.pullSecret] : [])];
  for (const pullSecret of pullSecrets) {
    const name = typeof pullSecret === 'string' ? pullSecret : isMapping(pullSecret) ? stringOr(pullSecret.name) : undefined;
    if (name !== undefined) references.push({ name, optional: false, type: DOCKER_CONFIG_JSON });
  }
  return references;
}

function volumeReferences(name: string, source: Json): SecretReference[] {
  const optional = source.optional === true;
  const items = Array.isArray(source.items) ? source.items.filter(isMapping).map((item) => stringOr(item.key)).filter((key) => key !== undefined) : [];
  return items.length > 0 ? items.map((key) => ({ name, key, optional })) : [{ name, optional }];
}


function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
