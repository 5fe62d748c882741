import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { SPICE_PORTS, writerStatefulSetName } from '../core';
import { SplitValidationError, ValidationProblem } from '../core/errors';
import { writerRoleLabels } from './labels';
import { Json, manifest } from './manifest';
import { WriterPodSettings } from './pod-settings';
import { cpuQuantity, memoryQuantity } from './quantities';
import { PROBES } from './spice-container';
import { DATA_VOLUME, SPICED_TERMINATION_GRACE_SECONDS } from './spice-pod';
import { crdErrorLines, loadSpicepodSetCrd, SPICEPODSET } from './spicepod-set-crd';
import type { WriterStatefulSetOptions } from './writer-statefulset';

export { checkSpicepodSetWriterWorkloads } from './spicepod-set-checks';
export type { SpicepodSetWriterCheckContext } from './spicepod-set-checks';

/**
 * How the operator rolls a `SpicepodSet` out to a new generation of pods
 * (spicehq/docs `enterprise/kubernetes/spicepodset.md`, "Update Strategies").
 */
export type SpicepodSetUpdateStrategy =
  /** One pod at a time in ordinal order, each waiting for the previous one to be Ready. */
  | { readonly type: 'RollingOrdered' }
  /** Pods in parallel, keeping at least one available. */
  | {
    readonly type: 'RollingParallel';
    /**
     * How many pods may be down at once (a whole number).
     *
     * @default - the operator's default
     */
    readonly maxUnavailable?: number;
  }
  /**
   * A complete new generation of StatefulSets beside the old one; the old one is torn down once the
   * new one is Ready. Each generation gets new, empty volumes. No standby generation is kept.
   */
  | { readonly type: 'BlueGreen' };

/**
 * The writer roles as `SpicepodSet`s (`spice.ai/v2`) of the Spice.ai Enterprise Kubernetes operator
 * (Kubernetes 1.33+), one per role, named as the library's StatefulSets would be. The operator must
 * be installed with its CRDs; the library keeps its ServiceAccount (`serviceAccount.create: false`),
 * the Service readers dial, the PodDisruptionBudget, the NetworkPolicies and the archiver, all
 * selecting the writer pods by the labels each `SpicepodSet` carries in `spec.labels`.
 * See docs/writer-targets.md.
 */
export interface SpicepodSetWriterWorkloads {
  readonly type: 'spicepodset';
  /**
   * How the query replicas roll out. `BlueGreen` starts a whole new generation on empty volumes
   * (query replicas bootstrap from the snapshots, so each rollout downloads them again) and runs
   * both generations until the new one is Ready: readers reach each new pod once it is Ready.
   *
   * @default { type: 'RollingOrdered' }
   */
  readonly updateStrategy?: SpicepodSetUpdateStrategy;
  /**
   * How the snapshot owner rolls out. Only `RollingOrdered` is accepted: the owner must never run
   * two generations at once. `BlueGreen` would run the old and the new owner side by side (two
   * uploaders to one snapshot location) and start the new one on an empty volume; `RollingParallel`
   * can only keep one of a single pod available by starting its successor first.
   *
   * @default { type: 'RollingOrdered' }
   */
  readonly ownerUpdateStrategy?: SpicepodSetUpdateStrategy;
  /**
   * The operator's CRD (YAML or JSON, as `kubectl get crd spicepodsets.spice.ai -o yaml` prints
   * it): every rendered `SpicepodSet` is validated against its `v2` `openAPIV3Schema` at synth, with
   * unknown fields refused as `kubectl apply` refuses them. A relative path is resolved from the
   * current directory.
   *
   * @default - no CRD check: the CRD schema is not published, so the objects hold only the fields
   *   the operator's documentation describes
   */
  readonly crdFile?: string;
  /**
   * The cluster's Kubernetes version (`1.33`, `v1.34.2`): the operator requires 1.33 or later.
   *
   * @default - not checked
   */
  readonly kubernetesVersion?: string;
}

/** Props of one writer role's `SpicepodSet`. */
export type SpicepodSetWriterProps = WriterStatefulSetOptions & { readonly workloads: SpicepodSetWriterWorkloads };

/** Where rendered objects are checked against the CRD, as a user-facing property path. */
const CRD_PATH = 'props.workloads.crdFile';

/**
 * One writer role as a `SpicepodSet`: the role's Spicepod inline, its image, a `data` volume claim
 * per pod (mounted at /data by the operator), the library's ServiceAccount, the Spicepod's secrets
 * as `secretKeyRef`s, the writer sizing, probes and placement.
 */
export class SpicepodSetWriter extends Construct {
  /** The `SpicepodSet`'s name: the name the role's StatefulSet would have. */
  public readonly name: string;
  /** The `SpicepodSet`, for JSON patches. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: SpicepodSetWriterProps) {
    super(scope, id);
    const { split, role } = props;
    this.name = writerStatefulSetName(split.name, role);
    const labels = writerRoleLabels(split.name, role);
    this.apiObject = manifest(this, 'Resource', SPICEPODSET.apiVersion, SPICEPODSET.kind, { name: this.name, namespace: split.namespace, labels }, {
      spec: spicepodSetSpec(props, labels),
    });
    this.crdProblems = props.workloads.crdFile === undefined ? [] : this.checkAgainstCrd(props.workloads.crdFile);
  }

  /** What the CRD file refuses in this object: the writer cluster reports both roles' at once. */
  public readonly crdProblems: readonly ValidationProblem[];

  private checkAgainstCrd(file: string): ValidationProblem[] {
    const crd = loadSpicepodSetCrd(file);
    const problems: ValidationProblem[] = [];
    if (!crd.ok) {
      problems.push({ path: CRD_PATH, message: `${JSON.stringify(file)} ${crd.message}`, fix: crd.fix });
    } else if (!crd.validate(this.apiObject.toJson())) {
      for (const line of crdErrorLines(crd.validate.errors)) {
        problems.push({
          path: CRD_PATH,
          message: `SpicepodSet ${JSON.stringify(this.name)} does not match the CRD in ${JSON.stringify(file)}: ${line}`,
          fix: 'install an operator whose CRD has these fields (see docs/writer-targets.md), or give the CRD of the operator you run',
        });
      }
    }
    return problems;
  }
}

/** Throws once with every role's CRD problems (the owner's and the query replicas'). */
export function throwCrdProblems(roles: readonly unknown[], splitName: string, where: string): void {
  const problems = roles.flatMap((role) => (role instanceof SpicepodSetWriter ? role.crdProblems : []));
  if (problems.length > 0) throw new SplitValidationError(splitName, problems, where);
}

/** The update strategy of one role: the snapshot owner always rolls in order. */
function updateStrategy(props: SpicepodSetWriterProps): Json {
  if (props.role === 'snapshot-owner') return { type: 'RollingOrdered' };
  const strategy = props.workloads.updateStrategy ?? { type: 'RollingOrdered' };
  return strategy.type === 'RollingParallel' && strategy.maxUnavailable !== undefined
    ? { type: strategy.type, maxUnavailable: strategy.maxUnavailable }
    : { type: strategy.type };
}

/**
 * `nodeSelector` as required node affinity (the `SpicepodSet` has `nodeAffinity` only), added to
 * every term of the user's own `affinity.nodeAffinity` (terms are ORed, expressions ANDed).
 */
export function spicepodSetNodeAffinity(settings: WriterPodSettings | undefined): Json | undefined {
  const user = settings?.affinity?.nodeAffinity as Json | undefined;
  const selector = Object.entries(settings?.nodeSelector ?? {});
  if (selector.length === 0) return user ? { ...user } : undefined;
  const expressions = selector.map(([key, value]) => ({ key, operator: 'In', values: [value] }));
  const required = user?.requiredDuringSchedulingIgnoredDuringExecution as { nodeSelectorTerms?: Json[] } | undefined;
  const terms = required?.nodeSelectorTerms?.length
    ? required.nodeSelectorTerms.map((term) => ({ ...term, matchExpressions: [...((term.matchExpressions as Json[] | undefined) ?? []), ...expressions] }))
    : [{ matchExpressions: expressions }];
  return { ...user, requiredDuringSchedulingIgnoredDuringExecution: { ...required, nodeSelectorTerms: terms } };
}

/** The `spec` of one role's `SpicepodSet`: the documented fields only. */
function spicepodSetSpec(props: SpicepodSetWriterProps, labels: Record<string, string>): Json {
  const { split, settings, identity } = props;
  const { resources } = split.writer;
  const pullSecret = settings?.imagePullSecrets?.[0];
  const nodeAffinity = spicepodSetNodeAffinity(settings);
  const probe = (kind: 'liveness' | 'readiness') => ({ periodSeconds: PROBES[kind].periodSeconds, failureThreshold: PROBES[kind].failureThreshold });
  return {
    replicas: props.replicas,
    spicepod: props.spicepod.spicepod,
    image: {
      repository: split.image.repository,
      tag: split.image.tag,
      // The image is pinned (a release tag), as in every pod the library renders.
      pullPolicy: 'IfNotPresent',
      ...(pullSecret ? { pullSecret } : {}),
    },
    // spiced's ports, pinned: the library's Service, NetworkPolicies and PodMonitor reach the pods by these numbers.
    http: { port: SPICE_PORTS.http },
    flight: { port: SPICE_PORTS.flight },
    metrics: { port: SPICE_PORTS.metrics },
    // The operator mounts the template named `data` at /data: the writer Spicepod's acceleration files.
    volumeClaimTemplates: [{
      metadata: { name: DATA_VOLUME },
      spec: {
        accessModes: ['ReadWriteOnce'],
        ...(split.writer.storageClass ? { storageClassName: split.writer.storageClass } : {}),
        resources: { requests: { storage: split.writer.storageSize } },
      },
    }],
    // The library's ServiceAccount carries the cloud identity (and is shared with the archiver).
    serviceAccount: { enabled: true, create: false, name: props.serviceAccountName },
    env: [
      ...props.spicepod.secretEnv.map((binding) => ({
        name: binding.envVar,
        valueFrom: { secretKeyRef: { name: binding.secret.secretName, key: binding.secret.key } },
      })),
      ...(settings?.env ?? []).map((variable) => ({ ...variable })),
    ],
    resources: {
      requests: { cpu: cpuQuantity(resources.cpu.request), memory: memoryQuantity(resources.memory.request) },
      limits: { cpu: cpuQuantity(resources.cpu.limit), memory: memoryQuantity(resources.memory.limit) },
    },
    updateStrategy: updateStrategy(props),
    probes: { liveness: probe('liveness'), readiness: probe('readiness') },
    terminationGracePeriodSeconds: SPICED_TERMINATION_GRACE_SECONDS,
    ...(settings?.tolerations?.length ? { tolerations: settings.tolerations.map((toleration) => ({ ...toleration })) } : {}),
    ...(nodeAffinity ? { nodeAffinity } : {}),
    // Propagated by the operator to everything it creates: the library's Service, PodDisruptionBudget
    // and NetworkPolicies select the writer pods by these.
    labels: { ...settings?.podLabels, ...labels, ...identity.podLabels },
    ...(settings?.podAnnotations && Object.keys(settings.podAnnotations).length > 0 ? { annotations: { ...settings.podAnnotations } } : {}),
  };
}
