import { ApiObject, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { parseQuantity, READER_DATA_DIR, readerServiceAccountName, renderReaderSpicepod, SplitValidationError, SynthesizedSplit, TierSpicepod } from '../core';
import { IdentityBinding, identityBinding, WorkloadIdentity } from './identity';
import { toKplusContainerProps } from './kplus-container';
import { LABELS, SPICEPOD_CHECKSUM_ANNOTATION } from './labels';
import { Json, manifest } from './manifest';
import { AppPodShape, appPortsOf, SIDECAR_NAME, SidecarFootprint, sidecarProblems } from './reader-pod-checks';
import { readerNetworkPolicy } from './reader-network-policy';
import { DEFAULT_PORTS, SPICE_HOME, SpiceContainerModel, SPICEPOD_DIR, spicedArgs, toContainerManifest } from './spice-container';
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
   * Create the reader ServiceAccount in the namespace (once per namespace and split).
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

/**
 * The reader sidecar of a split: its Spicepod ConfigMap and ServiceAccount, added to application
 * workloads with `addTo` (cdk8s-plus) or `addToManifest` (an existing manifest brought in with
 * `Include`). The app reaches it on 127.0.0.1:8090 (HTTP) and 127.0.0.1:50051 (Arrow Flight).
 */
export class SpiceReaderSidecar extends Construct {
  /** The reader Spicepod and the one secret it may hold (the cluster API key). */
  public readonly spicepod: TierSpicepod;
  public readonly serviceAccountName: string;
  private readonly config: SpicepodConfigMap;
  private readonly identity: IdentityBinding;
  private readonly model: SpiceContainerModel;

  constructor(scope: Construct, id: string, private readonly props: SpiceReaderSidecarProps) {
    super(scope, id);
    const { split } = props.split;
    this.spicepod = renderReaderSpicepod(split, { datasets: props.datasets });
    this.serviceAccountName = readerServiceAccountName(split.name);
    this.identity = identityBinding(props.identity);
    this.config = new SpicepodConfigMap(this, 'Spicepod', {
      name: `${split.name}-reader-spicepod`,
      namespace: props.namespace,
      labels: { [LABELS.split]: split.name, [LABELS.tier]: 'reader' },
      spicepod: this.spicepod.spicepod,
    });
    if (props.createServiceAccount ?? true) {
      manifest(this, 'ServiceAccount', 'v1', 'ServiceAccount', {
        name: this.serviceAccountName,
        namespace: props.namespace,
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

  private get footprint(): SidecarFootprint {
    return {
      ports: this.model.ports,
      volumes: Object.values(VOLUMES),
      serviceAccountName: this.serviceAccountName,
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

  private volumesJson(): Json[] {
    return [
      { name: VOLUMES.local, emptyDir: { sizeLimit: this.props.split.split.reader.localDisk } },
      { name: VOLUMES.spicepod, configMap: { name: this.config.name } },
      { name: VOLUMES.tmp, emptyDir: { sizeLimit: '1Gi' } },
    ];
  }

  private policy(scope: Construct, name: string, podSelector: Record<string, string>, appPorts: () => number[]): void {
    readerNetworkPolicy(scope, `${name}NetworkPolicy`, {
      name: `${name}-spice-reader`,
      namespace: this.props.namespace,
      podSelector,
      appPorts: { produce: appPorts },
      metricsPort: this.model.ports.metrics,
      monitoringNamespace: this.props.monitoringNamespace ?? 'monitoring',
    });
  }

  /** Adds the sidecar to a Deployment or StatefulSet built with cdk8s-plus (checked again at synth). */
  public addTo(workload: kplus.Deployment | kplus.StatefulSet): void {
    const ours = new Set<string>(Object.values(VOLUMES));
    // The application's side of the pod, without the sidecar: containers can still be added after this call.
    const appShape = (): AppPodShape => ({
      containers: workload.containers.filter((c) => c.name !== SIDECAR_NAME).map((c) => ({ name: c.name ?? '', ports: c.ports.map((p) => p.number) })),
      initContainers: workload.initContainers.filter((c) => c.name !== SIDECAR_NAME).map((c) => c.name ?? ''),
      volumes: workload.volumes.map((v) => v.name).filter((name) => !ours.has(name)),
      serviceAccountName: workload.serviceAccount?.name,
    });
    const where = workload.node.path;
    if ([...workload.containers, ...workload.initContainers].some((c) => c.name === SIDECAR_NAME)) {
      throw new SplitValidationError(this.props.split.split.name, [
        { path: where, message: `already has a "${SIDECAR_NAME}" container: the reader sidecar was added twice`, fix: 'add it once per workload' },
      ]);
    }
    const volumes = {
      [VOLUMES.local]: kplus.Volume.fromEmptyDir(workload, 'SpiceReaderLocal', VOLUMES.local, { sizeLimit: mebibytes(this.props.split.split.reader.localDisk) }),
      [VOLUMES.spicepod]: kplus.Volume.fromConfigMap(workload, 'SpiceReaderSpicepod', kplus.ConfigMap.fromConfigMapName(workload, 'SpiceReaderConfig', this.config.name), { name: VOLUMES.spicepod }),
      [VOLUMES.tmp]: kplus.Volume.fromEmptyDir(workload, 'SpiceReaderTmp', VOLUMES.tmp, { sizeLimit: mebibytes('1Gi') }),
    };
    const container = toKplusContainerProps(workload, this.model, volumes, this.native);
    if (this.native) workload.addInitContainer(container);
    else workload.addContainer(container);
    for (const [key, value] of Object.entries(this.podLabels())) workload.podMetadata.addLabel(key, value);
    workload.podMetadata.addAnnotation(SPICEPOD_CHECKSUM_ANNOTATION, this.config.checksum);
    ApiObject.of(workload).addJsonPatch(
      JsonPatch.add('/spec/template/spec/serviceAccountName', this.serviceAccountName),
      JsonPatch.add('/spec/template/spec/automountServiceAccountToken', this.identity.automountServiceAccountToken),
    );
    workload.node.addValidation({
      validate: () => sidecarProblems(appShape(), this.footprint, where).map((p) => `${p.path}: ${p.message}; ${p.fix}`),
    });
    this.policy(workload, workload.name, workload.matchLabels, () => appPortsOf(appShape(), this.footprint));
  }

  /**
   * Adds the sidecar to a Deployment, StatefulSet or DaemonSet manifest the user already has,
   * e.g. one brought in with cdk8s `Include`, by JSON patches.
   */
  public addToManifest(object: ApiObject): void {
    const json = object.toJson();
    const where = `${json.kind}/${json.metadata?.name}`;
    if (!['Deployment', 'StatefulSet', 'DaemonSet'].includes(json.kind)) {
      throw new SplitValidationError(this.props.split.split.name, [{ path: where, message: 'is not a workload with a pod template', fix: 'pass a Deployment, StatefulSet or DaemonSet' }]);
    }
    const podSpec = json.spec?.template?.spec ?? {};
    const shape: AppPodShape = {
      containers: (podSpec.containers ?? []).map((c: Json) => ({ name: String(c.name), ports: ((c.ports as Json[]) ?? []).map((p) => Number(p.containerPort)) })),
      initContainers: (podSpec.initContainers ?? []).map((c: Json) => String(c.name)),
      volumes: (podSpec.volumes ?? []).map((v: Json) => String(v.name)),
      serviceAccountName: podSpec.serviceAccountName ?? podSpec.serviceAccount,
    };
    const problems = sidecarProblems(shape, this.footprint, where);
    if (problems.length > 0) throw new SplitValidationError(this.props.split.split.name, problems);

    const container = toContainerManifest(this.model, this.native);
    const list = this.native ? 'initContainers' : 'containers';
    const metadata = json.spec.template.metadata ?? {};
    object.addJsonPatch(
      JsonPatch.add(`/spec/template/spec/${list}`, [...(podSpec[list] ?? []), container]),
      JsonPatch.add('/spec/template/spec/volumes', [...(podSpec.volumes ?? []), ...this.volumesJson()]),
      JsonPatch.add('/spec/template/spec/serviceAccountName', this.props.keepWorkloadServiceAccount && shape.serviceAccountName ? shape.serviceAccountName : this.serviceAccountName),
      JsonPatch.add('/spec/template/spec/automountServiceAccountToken', this.identity.automountServiceAccountToken),
      JsonPatch.add('/spec/template/metadata', {
        ...metadata,
        labels: { ...(metadata.labels ?? {}), ...this.podLabels() },
        annotations: { ...(metadata.annotations ?? {}), [SPICEPOD_CHECKSUM_ANNOTATION]: this.config.checksum },
      }),
    );
    const ports = appPortsOf(shape, this.footprint);
    this.policy(this, String(json.metadata.name), json.spec.selector?.matchLabels ?? {}, () => ports);
  }
}

/** An emptyDir size limit in whole mebibytes. */
function mebibytes(quantity: string): Size {
  return Size.mebibytes(Math.ceil(parseQuantity(quantity)! / 2 ** 20));
}
