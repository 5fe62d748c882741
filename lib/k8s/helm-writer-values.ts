import { Spicepod, WRITER_DATA_DIR, writerStatefulSetName } from '../core';
import { writerTlsMounts } from './flight-tls';
import { tierLabels, writerRoleLabels } from './labels';
import { Json } from './manifest';
import { podSpecSettings, writerUpdateStrategy } from './pod-settings';
import { cpuQuantity, memoryQuantity } from './quantities';
import { DEFAULT_PORTS, PROBES } from './spice-container';
import { NodeSpread } from './spice-pod';
import type { WriterStatefulSetOptions } from './writer-statefulset';

/**
 * Values of the Spice Helm chart for one writer role: only keys the chart reads (see
 * schemas/spice-helm-values.schema.json), each set from the split as the library's own
 * StatefulSet would be.
 */
export interface SpiceChartValues {
  /** The workload's name (and its Service's and ConfigMap's prefix): the library's StatefulSet name. */
  readonly fullnameOverride: string;
  /** `tag` carries `@sha256:<digest>` when the image is pinned by digest (the chart renders `repository:tag`). */
  readonly image: { readonly repository: string; readonly tag: string };
  /**
   * Top-level, as the chart's template reads it (its docs say `image.pullSecrets`, which it ignores).
   *
   * @default - none (the pods' `imagePullSecrets` setting is empty)
   */
  readonly imagePullSecrets?: readonly { readonly name: string }[];
  readonly replicaCount: number;
  readonly stateful: { readonly enabled: true; readonly storageClass: string; readonly size: string; readonly mountPath: string };
  /**
   * Chart 2.2.0 and later only.
   *
   * @default - none before chart 2.2.0 (Kubernetes' RollingUpdate)
   */
  readonly updateStrategy?: Json;
  /** The library renders the ServiceAccount, with the identity's annotations. */
  readonly serviceAccount: { readonly create: false; readonly name: string };
  /** On every object of the release, the pods included: the tier labels the library's Service, PDB and NetworkPolicies select. */
  readonly additionalLabels: Readonly<Record<string, string>>;
  readonly additionalEnv: readonly Json[];
  readonly resources: Json;
  /** @default - none (no `pods.nodeSelector`) */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** @default - none (no `pods.tolerations`) */
  readonly tolerations?: readonly Json[];
  readonly affinity: Json;
  /** @default - none: only with `writer.tls` (the certificate's Secret) */
  readonly volumes?: readonly Json[];
  /** @default - none: only with `writer.tls` */
  readonly volumeMounts?: readonly Json[];
  readonly startupProbe: Json;
  readonly livenessProbe: Json;
  readonly readinessProbe: Json;
  readonly monitoring: { readonly podMonitor: { readonly enabled: false } };
  readonly cloudConnect: { readonly mode: 'disabled' };
  readonly spicepod: Spicepod;
}

/** What shapes the values besides the role's options. */
export interface HelmValuesContext {
  /** Render `updateStrategy` (chart 2.2.0 and later). */
  readonly updateStrategy: boolean;
}

const HOSTNAME = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

/**
 * The library's topology spread, as pod anti-affinity (the chart has no
 * `topologySpreadConstraints`): one writer per node when `required`, and zones preferred apart.
 * Merged with the user's affinity, whose terms stay.
 */
export function writerAffinity(split: string, nodes: NodeSpread, user: Readonly<Record<string, unknown>> | undefined): Json {
  const labelSelector = { matchLabels: tierLabels(split, 'writer') };
  const term = (topologyKey: string) => ({ labelSelector, topologyKey });
  const theirs = (user?.podAntiAffinity ?? {}) as Record<string, unknown[] | undefined>;
  const required = [...(nodes === 'required' ? [term(HOSTNAME)] : []), ...(theirs.requiredDuringSchedulingIgnoredDuringExecution ?? [])];
  const preferred = [
    ...(nodes === 'preferred' ? [{ weight: 100, podAffinityTerm: term(HOSTNAME) }] : []),
    { weight: 50, podAffinityTerm: term(ZONE) },
    ...(theirs.preferredDuringSchedulingIgnoredDuringExecution ?? []),
  ];
  return {
    ...user,
    podAntiAffinity: {
      ...theirs,
      ...(required.length > 0 ? { requiredDuringSchedulingIgnoredDuringExecution: required } : {}),
      preferredDuringSchedulingIgnoredDuringExecution: preferred,
    },
  };
}

function probe(kind: keyof typeof PROBES, https: boolean): Json {
  const { path, periodSeconds, failureThreshold } = PROBES[kind];
  // timeoutSeconds is the chart's default, written out so the file says what runs.
  return { httpGet: { path, port: DEFAULT_PORTS.http, ...(https ? { scheme: 'HTTPS' } : {}) }, timeoutSeconds: 1, periodSeconds, failureThreshold };
}

/** A deep, plain copy (no shared references between the values and the core's objects). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The chart's values for one writer role. */
export function helmWriterValues(options: WriterStatefulSetOptions, context: HelmValuesContext): SpiceChartValues {
  const { split, role, settings } = options;
  const image = split.image;
  const tls = writerTlsMounts(split);
  const pod = podSpecSettings(settings) as { imagePullSecrets?: { name: string }[]; nodeSelector?: Record<string, string>; tolerations?: Json[] };
  const resources = split.writer.resources;
  return {
    fullnameOverride: writerStatefulSetName(split.name, role),
    image: { repository: image.repository, tag: image.digest ? `${image.tag}@${image.digest}` : image.tag },
    ...(pod.imagePullSecrets ? { imagePullSecrets: pod.imagePullSecrets } : {}),
    replicaCount: options.replicas,
    stateful: {
      enabled: true,
      // The chart renders its default ('standard') unless told '': '' leaves the cluster's default class.
      storageClass: split.writer.storageClass ?? '',
      size: split.writer.storageSize,
      mountPath: WRITER_DATA_DIR,
    },
    ...(context.updateStrategy ? { updateStrategy: writerUpdateStrategy(settings, role) } : {}),
    serviceAccount: { create: false, name: options.serviceAccountName },
    additionalLabels: { ...settings?.podLabels, ...writerRoleLabels(split.name, role), ...options.identity.podLabels },
    additionalEnv: [
      ...options.spicepod.secretEnv.map((binding) => ({
        name: binding.envVar,
        valueFrom: { secretKeyRef: { name: binding.secret.secretName, key: binding.secret.key } },
      })),
      ...(settings?.env ?? []).map((variable): Json => plain({ ...variable })),
    ],
    resources: {
      requests: { cpu: cpuQuantity(resources.cpu.request), memory: memoryQuantity(resources.memory.request) },
      limits: { cpu: cpuQuantity(resources.cpu.limit), memory: memoryQuantity(resources.memory.limit) },
    },
    ...(pod.nodeSelector ? { nodeSelector: pod.nodeSelector } : {}),
    ...(pod.tolerations ? { tolerations: plain(pod.tolerations) } : {}),
    affinity: plain(writerAffinity(split.name, options.nodeSpread, settings?.affinity)),
    ...(tls.mounts.length > 0 ? {
      volumes: plain(tls.volumes),
      volumeMounts: tls.mounts.map((mount) => ({ name: mount.volume, mountPath: mount.mountPath, ...(mount.readOnly ? { readOnly: true } : {}) })),
    } : {}),
    startupProbe: probe('startup', tls.serves),
    livenessProbe: probe('liveness', tls.serves),
    readinessProbe: probe('readiness', tls.serves),
    // The library's SplitObservability renders the writers' PodMonitor (with the TLS scheme when needed).
    monitoring: { podMonitor: { enabled: false } },
    cloudConnect: { mode: 'disabled' },
    spicepod: plain(options.spicepod.spicepod),
  };
}
