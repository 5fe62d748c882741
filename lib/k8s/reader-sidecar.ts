import { ApiObject, Chart, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { parseQuantity, READER_DATA_DIR, readerServiceAccountName, renderReaderSpicepod, SplitValidationError, SynthesizedSplit, TierSpicepod } from '../core';
import { IdentityBinding, identityBinding, WorkloadIdentity } from './identity';
import { toKplusContainerProps } from './kplus-container';
import { LABELS, SPICEPOD_CHECKSUM_ANNOTATION } from './labels';
import { Json, manifest } from './manifest';
import { AppContainerShape, AppPodShape, appPortsOf, SIDECAR_NAME, SidecarFootprint, sidecarProblems } from './reader-pod-checks';
import { readerNetworkPolicy } from './reader-network-policy';
import { DEFAULT_PORTS, PORT_NAMES, SPICE_HOME, SpiceContainerModel, SPICEPOD_DIR, spicedArgs, toContainerManifest } from './spice-container';
import { SpicepodConfigMap } from './spicepod-config-map';

/** How the sidecar runs: a native sidecar (init container, `restartPolicy: Always`) or a classic container. */
export type SidecarMode = 'native' | 'classic';

/** Props of the reader sidecar. */
export interface SpiceReaderSidecarProps {
  /** The synthesized split (see `synthesizeSplit`). */
  readonly split: SynthesizedSplit;
  /**
   * Namespace of the application.
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Read-only cloud identity bound to the reader ServiceAccount.
   *
   * @default - none: the ServiceAccount is created without identity annotations
   */
  readonly identity?: WorkloadIdentity;
  /**
   * The datasets this application reads.
   *
   * @default - every dataset the split gives readers
   */
  readonly datasets?: readonly string[];
  /**
   * `native` needs Kubernetes 1.29 or later (SidecarContainers on by default); `classic` runs the
   * reader as a regular container on older clusters (it then does not start before the app).
   *
   * @default 'native'
   */
  readonly mode?: SidecarMode;
  /**
   * Port of the sidecar's Prometheus metrics.
   *
   * @default 9090
   */
  readonly metricsPort?: number;
  /**
   * Ports the application takes traffic on; the NetworkPolicy admits only these (and metrics).
   *
   * @default - the ports the application's containers declare
   */
  readonly appPorts?: readonly number[];
  /**
   * Create the reader ServiceAccount in the namespace. Sidecars of one split in one namespace
   * share it: the first one in the app renders it.
   *
   * @default true
   */
  readonly createServiceAccount?: boolean;
  /**
   * Keep a ServiceAccount the workload already names (bind the read-only identity to it yourself).
   *
   * @default false - a workload with another ServiceAccount is an error
   */
  readonly keepWorkloadServiceAccount?: boolean;
  /**
   * Namespace allowed to scrape the sidecar's metrics.
   *
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
}

const VOLUMES = { local: 'spice-reader-local', spicepod: 'spice-reader-spicepod', tmp: 'spice-reader-tmp' } as const;

/** ServiceAccounts already rendered in an app, by `<namespace>/<name>`, so sidecars share them. */
const renderedServiceAccounts = new WeakMap<IConstruct, Set<string>>();

/** Where a workload is attached: its name, namespace, pod selector and the application side of its pod. */
interface AttachTarget {
  readonly scope: Construct;
  readonly name: string;
  readonly where: string;
  readonly podSelector: Record<string, unknown>;
  readonly shape: () => AppPodShape;
}

/**
 * The reader sidecar of a split, added to application workloads with `addTo` (cdk8s-plus) or
 * `addToManifest` (an existing manifest brought in with `Include`). Each workload gets its own
 * Spicepod ConfigMap and NetworkPolicy; the app reaches the reader on 127.0.0.1:8090 (HTTP) and
 * 127.0.0.1:50051 (Arrow Flight).
 */
export class SpiceReaderSidecar extends Construct {
  /** The reader Spicepod and the one secret it may hold (the cluster API key). */
  public readonly spicepod: TierSpicepod;
  public readonly serviceAccountName: string;
  private readonly namespace?: string;
  private readonly identity: IdentityBinding;
  private readonly model: SpiceContainerModel;

  constructor(scope: Construct, id: string, private readonly props: SpiceReaderSidecarProps) {
    super(scope, id);
    const { split } = props.split;
    this.spicepod = renderReaderSpicepod(split, { datasets: props.datasets });
    this.serviceAccountName = readerServiceAccountName(split.name);
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    this.identity = identityBinding(props.identity);
    if ((props.createServiceAccount ?? true) && this.firstServiceAccountInNamespace()) {
      manifest(this, 'ServiceAccount', 'v1', 'ServiceAccount', {
        name: this.serviceAccountName,
        namespace: this.namespace,
        labels: { [LABELS.split]: split.name, [LABELS.tier]: 'reader' },
        annotations: this.identity.serviceAccountAnnotations,
      }, { automountServiceAccountToken: this.identity.automountServiceAccountToken });
    }
    const ports = { ...DEFAULT_PORTS, metrics: props.metricsPort ?? DEFAULT_PORTS.metrics };
    this.model = {
      name: SIDECAR_NAME,
      image: split.image.reference,
      args: spicedArgs(ports),
      ports,
      env: this.spicepod.secretEnv,
      resources: split.reader.resources,
      mounts: [
        { volume: VOLUMES.local, mountPath: READER_DATA_DIR, subPath: 'acceleration' },
        { volume: VOLUMES.local, mountPath: SPICE_HOME, subPath: 'home' },
        { volume: VOLUMES.spicepod, mountPath: SPICEPOD_DIR, readOnly: true },
        { volume: VOLUMES.tmp, mountPath: '/tmp' },
      ],
    };
  }

  private firstServiceAccountInNamespace(): boolean {
    const root = this.node.root;
    const seen = renderedServiceAccounts.get(root) ?? new Set<string>();
    renderedServiceAccounts.set(root, seen);
    const key = `${this.namespace ?? ''}/${this.serviceAccountName}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }

  private get footprint(): SidecarFootprint {
    return {
      ports: this.model.ports,
      portNames: Object.values(PORT_NAMES),
      volumes: Object.values(VOLUMES),
      serviceAccountName: this.serviceAccountName,
      namespace: this.namespace,
      appPorts: this.props.appPorts,
      keepWorkloadServiceAccount: this.props.keepWorkloadServiceAccount ?? false,
    };
  }

  private get native(): boolean {
    return (this.props.mode ?? 'native') === 'native';
  }

  private podLabels(): Record<string, string> {
    return { [LABELS.readerOf]: this.props.split.split.name, ...this.identity.podLabels };
  }

  private fail(problems: ReturnType<typeof sidecarProblems>): void {
    if (problems.length > 0) throw new SplitValidationError(this.props.split.split.name, problems);
  }

  /** The ServiceAccount the pod runs as: the reader's, unless the workload's own is kept. */
  private podServiceAccount(own: string | undefined): string {
    return this.props.keepWorkloadServiceAccount && own ? own : this.serviceAccountName;
  }

  /** A token is mounted when the identity or the application needs one. */
  private automount(own: boolean | undefined): boolean {
    return this.identity.automountServiceAccountToken || own === true;
  }

  /** The workload's own ConfigMap, checksum and NetworkPolicy. */
  private attach(target: AttachTarget): SpicepodConfigMap {
    const config = new SpicepodConfigMap(this, `${target.name}-Spicepod`, {
      name: `${target.name}-spice-reader`,
      namespace: this.namespace,
      labels: { [LABELS.split]: this.props.split.split.name, [LABELS.tier]: 'reader' },
      spicepod: this.spicepod.spicepod,
    });
    readerNetworkPolicy(target.scope, `${target.name}NetworkPolicy`, {
      name: `${target.name}-spice-reader`,
      namespace: this.namespace,
      podSelector: target.podSelector,
      appPorts: { produce: () => appPortsOf(target.shape(), this.footprint) },
      metricsPort: this.model.ports.metrics,
      monitoringNamespace: this.props.monitoringNamespace ?? 'monitoring',
    });
    return config;
  }

  /** Adds the sidecar to a Deployment or StatefulSet built with cdk8s-plus (checked again at synth). */
  public addTo(workload: kplus.Deployment | kplus.StatefulSet): void {
    const ours = new Set<string>(Object.values(VOLUMES));
    const containerShape = (c: kplus.Container): AppContainerShape => ({ name: c.name ?? '', ports: c.ports.map((p) => ({ number: p.number, name: p.name })) });
    // The application's side of the pod, without the sidecar: containers can still be added after this call.
    const shape = (): AppPodShape => ({
      containers: workload.containers.filter((c) => c.name !== SIDECAR_NAME).map(containerShape),
      initContainers: workload.initContainers.filter((c) => c.name !== SIDECAR_NAME).map(containerShape),
      volumes: workload.volumes.map((v) => v.name).filter((name) => !ours.has(name)),
      serviceAccountName: workload.serviceAccount?.name,
      namespace: workload.metadata.namespace ?? Chart.of(workload).namespace,
    });
    const where = workload.node.path;
    if ([...workload.containers, ...workload.initContainers].some((c) => c.name === SIDECAR_NAME)) {
      this.fail([{ path: where, message: `already has a "${SIDECAR_NAME}" container: the reader sidecar was added twice`, fix: 'add it once per workload' }]);
    }
    this.fail(sidecarProblems(shape(), this.footprint, where).filter((p) => p.path.endsWith('.namespace')));
    const config = this.attach({ scope: workload, name: workload.name, where, podSelector: { matchLabels: workload.matchLabels }, shape });
    const volumes = {
      [VOLUMES.local]: kplus.Volume.fromEmptyDir(workload, 'SpiceReaderLocal', VOLUMES.local, { sizeLimit: mebibytes(this.props.split.split.reader.localDisk) }),
      [VOLUMES.spicepod]: kplus.Volume.fromConfigMap(workload, 'SpiceReaderSpicepod', kplus.ConfigMap.fromConfigMapName(workload, 'SpiceReaderConfig', config.name), { name: VOLUMES.spicepod }),
      [VOLUMES.tmp]: kplus.Volume.fromEmptyDir(workload, 'SpiceReaderTmp', VOLUMES.tmp, { sizeLimit: mebibytes('1Gi') }),
    };
    const container = toKplusContainerProps(workload, this.model, volumes, this.native);
    if (this.native) workload.addInitContainer(container);
    else workload.addContainer(container);
    for (const [key, value] of Object.entries(this.podLabels())) workload.podMetadata.addLabel(key, value);
    workload.podMetadata.addAnnotation(SPICEPOD_CHECKSUM_ANNOTATION, config.checksum);
    ApiObject.of(workload).addJsonPatch(
      JsonPatch.add('/spec/template/spec/serviceAccountName', this.podServiceAccount(workload.serviceAccount?.name)),
      JsonPatch.add('/spec/template/spec/automountServiceAccountToken', this.automount(workload.automountServiceAccountToken)),
    );
    workload.node.addValidation({
      validate: () => sidecarProblems(shape(), this.footprint, where).map((p) => `${p.path}: ${p.message}; ${p.fix}`),
    });
  }

  /**
   * Adds the sidecar to a Deployment, StatefulSet or DaemonSet manifest the user already has,
   * e.g. one brought in with cdk8s `Include`, by JSON patches.
   */
  public addToManifest(object: ApiObject): void {
    const json = object.toJson();
    const where = `${json.kind}/${json.metadata?.name}`;
    if (!['Deployment', 'StatefulSet', 'DaemonSet'].includes(json.kind)) {
      this.fail([{ path: where, message: 'is not a workload with a pod template', fix: 'pass a Deployment, StatefulSet or DaemonSet' }]);
    }
    const podSpec = json.spec?.template?.spec ?? {};
    const containerShape = (c: Json): AppContainerShape => ({
      name: String(c.name),
      ports: ((c.ports as Json[]) ?? []).map((p) => ({ number: Number(p.containerPort), name: p.name as string | undefined })),
    });
    const shape: AppPodShape = {
      containers: (podSpec.containers ?? []).map(containerShape),
      initContainers: (podSpec.initContainers ?? []).map(containerShape),
      volumes: (podSpec.volumes ?? []).map((v: Json) => String(v.name)),
      serviceAccountName: podSpec.serviceAccountName ?? podSpec.serviceAccount,
      namespace: json.metadata?.namespace ?? Chart.of(object).namespace,
    };
    const selector = json.spec?.selector ?? {};
    const problems = sidecarProblems(shape, this.footprint, where);
    if (!selector.matchLabels && !selector.matchExpressions) {
      problems.push({ path: `${where}.spec.selector`, message: 'is empty: the NetworkPolicy would select every pod of the namespace', fix: 'give the workload a selector' });
    }
    if ([...shape.containers, ...shape.initContainers].some((c) => c.name === SIDECAR_NAME)) {
      problems.push({ path: where, message: `already has a "${SIDECAR_NAME}" container: the reader sidecar was added twice`, fix: 'add it once per workload' });
    }
    this.fail(problems);
    const config = this.attach({ scope: this, name: String(json.metadata.name), where, podSelector: selector, shape: () => shape });
    const list = this.native ? 'initContainers' : 'containers';
    const metadata = json.spec.template.metadata ?? {};
    object.addJsonPatch(
      JsonPatch.add(`/spec/template/spec/${list}`, [...(podSpec[list] ?? []), toContainerManifest(this.model, this.native)]),
      JsonPatch.add('/spec/template/spec/volumes', [...(podSpec.volumes ?? []), ...this.volumesJson(config.name)]),
      JsonPatch.add('/spec/template/spec/serviceAccountName', this.podServiceAccount(shape.serviceAccountName)),
      JsonPatch.add('/spec/template/spec/automountServiceAccountToken', this.automount(podSpec.automountServiceAccountToken)),
      JsonPatch.add('/spec/template/metadata', {
        ...metadata,
        labels: { ...(metadata.labels ?? {}), ...this.podLabels() },
        annotations: { ...(metadata.annotations ?? {}), [SPICEPOD_CHECKSUM_ANNOTATION]: config.checksum },
      }),
    );
  }

  private volumesJson(configMap: string): Json[] {
    return [
      { name: VOLUMES.local, emptyDir: { sizeLimit: this.props.split.split.reader.localDisk } },
      { name: VOLUMES.spicepod, configMap: { name: configMap } },
      { name: VOLUMES.tmp, emptyDir: { sizeLimit: '1Gi' } },
    ];
  }
}

/** An emptyDir size limit in whole mebibytes. */
function mebibytes(quantity: string): Size {
  return Size.mebibytes(Math.ceil(parseQuantity(quantity)! / 2 ** 20));
}
