import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import {
  checkGivenReaderDisk, checkIdentityForStore, checkNotOtherTiersIdentity, checkReaderDatasets, identityStoreOf, checkWorkloadIdentity, READER_DATA_DIR, readerLocalDiskFor, readerObjectsName, readerServiceAccountName,
  TierSpicepod,
} from '../core';
import { Findings, formatProblem, ValidationProblem } from '../core/errors';
import { identityBinding, IdentityBinding } from './identity';
import { LABELS, SPICEPOD_CHECKSUM_ANNOTATION } from './labels';
import { Json } from './manifest';
import { checkPodSettings } from './pod-settings';
import { checkAdmittedNamespace, checkNoSourceSecrets, checkSidecarPorts, namespaceProblems, SIDECAR_NAME, SidecarFootprint, sidecarProblems, appPortsOf, undescribedNamespaceWarning } from './reader-pod-checks';
import { addLibraryValidation, CheckedRendering, perSynthCall, RenderHandOff } from './per-synth';
import { readerSpicepodFor } from './rendered-spicepods';
import { podShapeOf, withReaderSidecar, WORKLOAD_KINDS } from './reader-pod';
import { readerNetworkPolicy } from './reader-network-policy';
import { readerEgressPlan, readerEgressRules } from './reader-egress';
import { checkReaderEgress } from './reader-egress-checks';
import type { SpiceReaderSidecarProps } from './reader-sidecar-props';
import { DEFAULT_PORTS, PORT_NAMES, SPICE_HOME, SPICE_HOME_ENV, SpiceContainerModel, SPICEPOD_DIR, spicedArgs, toContainerManifest } from './spice-container';
import { SpicepodConfigMap } from './spicepod-config-map';
import { configMapVolume, emptyDirVolume, TMP_SIZE } from './spice-volumes';
import { readerServiceAccount } from './reader-service-account';
import { reportWarnings } from './warnings';
import { readerRestores } from '../core/reader-instance-checks';
import { bindKeptServiceAccount, nothingToKeepProblems } from './kept-service-account';
import { flightCaConfigMap, NO_TLS, TlsMounts } from './flight-tls';
import { checkFlightClientIssuer, dialerTlsMounts, flightClientCertificate } from './flight-client-certificate';
import { checkClusterApiKeySource, clusterApiKeyExternalSecret } from './cluster-api-key';

export type { SidecarMode, SpiceReaderSidecarOptions, SpiceReaderSidecarProps } from './reader-sidecar-props';

const VOLUMES = {
  local: 'spice-reader-local', spicepod: 'spice-reader-spicepod', tmp: 'spice-reader-tmp', flightCa: 'spice-reader-flight-ca', flightClient: 'spice-reader-flight-client',
} as const;

/** Workloads that already run a reader sidecar, with the split it reads. */
const attached = new WeakMap<IConstruct, string>();

/** What attaching the sidecar rendered beside the workload, for JSON patches. */
export interface ReaderAttachment {
  /** The ConfigMap holding this workload's reader Spicepod. */
  readonly spicepodConfigMap: ApiObject;
  /** The NetworkPolicy that keeps the sidecar's ports private to the pod. */
  readonly networkPolicy: ApiObject;
}

/**
 * The reader sidecar of a split, added to application workloads with `addTo` (cdk8s-plus) or
 * `addToManifest` (an existing manifest brought in with `Include`). Both paths build the pod the
 * same way; each workload gets its own Spicepod ConfigMap and NetworkPolicy. The app reaches the
 * reader on 127.0.0.1:8090 (HTTP) and 127.0.0.1:50051 (Arrow Flight).
 */
export class SpiceReaderSidecar extends Construct {
  /** The reader Spicepod and the one secret it may hold (the cluster API key). */
  public readonly spicepod: TierSpicepod;
  public readonly serviceAccountName: string;
  /** The reader ServiceAccount in this chart; undefined when `createServiceAccount` is false. */
  public readonly serviceAccount?: ApiObject;
  private readonly namespace?: string;
  private readonly identity: IdentityBinding;
  private readonly model: SpiceContainerModel;
  /** The size of the volume the reader restores into. */
  private readonly localDisk: string;
  private readonly native: boolean;
  /** The pod's egress rules; undefined without `egress`. */
  private readonly egressRules?: Json[];

  constructor(scope: Construct, id: string, private readonly props: SpiceReaderSidecarProps) {
    super(scope, id);
    const { split } = props.synthesized;
    const findings = new Findings();
    const own = findings.under('props');
    const datasetProblems = own.problems.length;
    checkReaderDatasets(split, props.datasets, own, 'datasets');
    if (props.localDisk !== undefined) checkGivenReaderDisk(props.localDisk, split.datasets, props.datasets, 'localDisk', own, own.problems.length === datasetProblems);
    checkWorkloadIdentity(props.identity, 'identity', own);
    // A workload that keeps its own ServiceAccount gets its identity from the user (none for a split without a store).
    if (!props.keepWorkloadServiceAccount || !split.store) checkIdentityForStore(props.identity, identityStoreOf(split), 'reader', 'identity', own);
    checkNotOtherTiersIdentity(props.identity, 'reader', split, props.writerIdentity, 'identity', own);
    checkAdmittedNamespace({
      admitted: props.admittedNamespaces,
      namespace: props.namespace ?? Chart.of(this).namespace,
      namespaceFromChart: props.namespace === undefined,
      datasets: props.datasets,
      keepsServiceAccount: props.keepWorkloadServiceAccount,
    }, split, own);
    checkSidecarPorts(props, own);
    const reserved = [SPICE_HOME_ENV, ...props.synthesized.reader.secretEnv.map((binding) => binding.envVar)];
    checkPodSettings({ imagePullSecrets: props.imagePullSecrets, env: props.env }, reserved, own);
    checkNoSourceSecrets(props.env, split, own);
    checkClusterApiKeySource(props.clusterApiKey, 'clusterApiKey', own);
    checkFlightClientIssuer(props.flightClientCertificate, split, 'flightClientCertificate', own);
    const egressPlan = readerEgressPlan(split, props.datasets, props.identity);
    checkReaderEgress(props.egress, egressPlan, own);
    findings.throwIfProblems(split.name, this.node.path);
    this.egressRules = props.egress && readerEgressRules(egressPlan, props.egress);

    this.spicepod = readerSpicepodFor(props.synthesized, props.datasets);
    this.serviceAccountName = readerServiceAccountName(split.name);
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    const restores = readerRestores(split, props.datasets);
    const undescribed = undescribedNamespaceWarning({ namespace: this.namespace, restores, keepsServiceAccount: props.keepWorkloadServiceAccount }, split);
    reportWarnings(this, split, undescribed ? [...findings.warnings, undescribed] : findings.warnings);
    this.identity = identityBinding(props.identity);
    this.native = (props.mode ?? 'native') === 'native';
    if (props.createServiceAccount ?? true) {
      this.serviceAccount = readerServiceAccount(this, { splitName: split.name, name: this.serviceAccountName, namespace: this.namespace, identity: this.identity });
    }
    this.localDisk = readerLocalDiskFor(split.reader, split.datasets, props.datasets, props.localDisk);
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
        ...this.flightTls.mounts,
      ],
      extraEnv: props.env,
      scratch: [this.localDisk, TMP_SIZE],
    };
  }

  /**
   * Adds the sidecar to a Deployment, StatefulSet or DaemonSet built with cdk8s-plus. The pod is
   * checked again at synth, so containers and ports added afterwards are taken into account: once
   * per `app.synth()` or `app.synthYaml()` call (the sidecar counts those calls by wrapping both
   * methods on the app instance).
   */
  public addTo(workload: kplus.Deployment | kplus.StatefulSet | kplus.DaemonSet): ReaderAttachment {
    const namespace = workload.metadata.namespace ?? Chart.of(workload).namespace;
    return this.attach(ApiObject.of(workload), workload.node.path, namespace, 'at-synth', workload.serviceAccount?.name);
  }

  /**
   * Adds the sidecar to a Deployment, StatefulSet or DaemonSet manifest the user already has,
   * e.g. one brought in with cdk8s `Include`.
   */
  public addToManifest(object: ApiObject): ReaderAttachment {
    const json = object.toJson();
    const namespace = json.metadata?.namespace ?? Chart.of(object).namespace;
    return this.attach(object, `${json.kind}/${json.metadata?.name}`, namespace, 'now', podShapeOf(json, namespace).serviceAccountName);
  }

  /** The reader delegates datasets to the writers (it holds the cluster API key for them). */
  private get delegates(): boolean {
    return this.spicepod.secretEnv.some((binding) => binding.purpose === 'cluster-api-key');
  }

  /** What a delegating reader dials the writers with: their CA, the client certificate. */
  private get flightTls(): TlsMounts {
    return this.delegates ? dialerTlsMounts(this.props.synthesized.split, { ca: VOLUMES.flightCa, client: VOLUMES.flightClient }) : NO_TLS;
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
      readsSecretByFsGroup: this.flightTls.volumes.some((volume) => volume.secret !== undefined),
    };
  }

  /**
   * Checks the workload, renders its ConfigMap and NetworkPolicy, and puts the sidecar into its pod
   * template whenever the workload renders (`withReaderSidecar`). cdk8s has no hook after a
   * workload renders, and JSON patches are fixed when added, so the rendering is wrapped: the
   * workload's own JSON patches apply before the sidecar joins (set the sidecar through its props).
   */
  private attach(object: ApiObject, where: string, namespace: string | undefined, checkAt: 'now' | 'at-synth', ownServiceAccount?: string): ReaderAttachment {
    const render = object.toJson.bind(object);
    const problems: ValidationProblem[] = [];
    const splitName = this.props.synthesized.split.name;
    const reads = attached.get(object);
    if (!WORKLOAD_KINDS.includes(object.kind)) {
      problems.push({ path: where, message: 'is not a workload with a pod template', fix: 'pass a Deployment, StatefulSet or DaemonSet' });
    } else if (reads !== undefined) {
      const message = reads === splitName
        ? `already has a "${SIDECAR_NAME}" container: the reader sidecar was added twice`
        : `already has a "${SIDECAR_NAME}" container reading split "${reads}": a workload reads one split`;
      problems.push({ path: where, message, fix: 'add one reader sidecar per workload' });
    } else {
      const shapeNow = { containers: [], initContainers: [], volumes: [], namespace };
      const early = checkAt === 'now' ? this.podProblems(render(), where, namespace) : namespaceProblems(shapeNow, this.footprint, where);
      // Construction stops on a namespace problem: report with it what the workload already shows.
      problems.push(...(checkAt === 'at-synth' && early.length > 0 ? this.podProblems(render(), where, namespace) : early));
      // Without a store (a Spice Cloud writer) there is no identity to bind: the constructor refused one.
      const cloud = this.props.synthesized.split.store?.cloud;
      if (this.props.keepWorkloadServiceAccount && ownServiceAccount && cloud !== undefined) {
        const kept = { chart: Chart.of(object), name: ownServiceAccount, namespace, where };
        problems.push(...bindKeptServiceAccount(kept, this.props.identity && this.identity, cloud));
      } else if (this.props.keepWorkloadServiceAccount) {
        problems.push(...nothingToKeepProblems(this.props.identity, this.props.synthesized.split, this.namespace, where));
      }
      if (Chart.of(object) !== Chart.of(this)) {
        problems.push({
          path: where,
          message: `is in chart ${Chart.of(object).node.path}, but the sidecar is in chart ${Chart.of(this).node.path}: the pod would reference a ConfigMap and ServiceAccount its chart does not hold`,
          fix: "create the sidecar in the workload's chart",
        });
      }
    }
    const findings = new Findings();
    for (const problem of problems) findings.problem(problem.path, problem.message, problem.fix);
    findings.throwIfProblems(splitName, this.node.path);
    attached.set(object, splitName);

    const name = object.name;
    const rendered = new RenderHandOff<ReturnType<ApiObject['toJson']>>();
    addLibraryValidation(object, () => (rendered.clear(), []));
    const config = new SpicepodConfigMap(this, `${name}-Spicepod`, {
      name: readerObjectsName(name),
      namespace: this.namespace,
      labels: { [LABELS.split]: this.props.synthesized.split.name, [LABELS.tier]: 'reader' },
      spicepod: this.spicepod.spicepod,
    });
    const networkPolicy = readerNetworkPolicy(checkAt === 'now' ? this : object, `${name}NetworkPolicy`, {
      name: readerObjectsName(name),
      namespace: this.namespace,
      pod: {
        produce: () => {
          const json = rendered.take(render);
          return { selector: (json.spec as Json | undefined)?.selector ?? {}, appPorts: appPortsOf(podShapeOf(json, namespace), this.footprint) };
        },
      },
      metricsPort: this.model.ports.metrics,
      monitoringNamespace: this.props.monitoringNamespace ?? 'monitoring',
      egress: this.egressRules,
    });
    // Delegating readers trust the writers' CA and present the client certificate: copies in the workload's namespace.
    const { split } = this.props.synthesized;
    if (this.delegates) flightCaConfigMap(this, split, this.namespace);
    if (this.delegates && this.props.flightClientCertificate) flightClientCertificate(this, split, this.namespace, this.props.flightClientCertificate);
    if (this.delegates && this.props.clusterApiKey) clusterApiKeyExternalSecret(this, split, this.namespace, this.props.clusterApiKey);
    const additions = this.additions(config);
    // Checked once per app synth call (cdk8s validates the app before each chart it renders), and
    // afresh in the next; the output takes the checks' rendering when nothing can have changed it.
    // A manifest checked at once renders afresh each time: nothing is kept for it.
    const renderings = checkAt === 'at-synth' ? new CheckedRendering(object, render) : undefined;
    object.toJson = () => {
      const json = rendered.give(renderings ? renderings.forOutput() : render());
      return { ...json, spec: { ...json.spec, template: withReaderSidecar(json.spec?.template ?? {}, additions) } };
    };
    if (renderings) {
      const check = () => this.podProblems(renderings.forChecks(), where, namespace).map(formatProblem);
      addLibraryValidation(object, perSynthCall(object, check));
    }
    return { spicepodConfigMap: config.apiObject, networkPolicy };
  }

  private podProblems(workload: Json, where: string, namespace: string | undefined): ValidationProblem[] {
    const problems = sidecarProblems(podShapeOf(workload, namespace), this.footprint, where);
    const selector = (workload.spec as Json | undefined)?.selector as Json | undefined;
    if (!selector?.matchLabels && !selector?.matchExpressions) {
      problems.push({ path: `${where}.spec.selector`, message: 'is empty: the NetworkPolicy would select every pod of the namespace', fix: 'give the workload a selector' });
    }
    return problems;
  }

  private additions(config: SpicepodConfigMap) {
    return {
      container: toContainerManifest(this.model, this.native),
      native: this.native,
      volumes: [emptyDirVolume(VOLUMES.local, this.localDisk), configMapVolume(VOLUMES.spicepod, config.name), emptyDirVolume(VOLUMES.tmp, TMP_SIZE), ...this.flightTls.volumes],
      serviceAccountName: this.serviceAccountName,
      keepWorkloadServiceAccount: this.props.keepWorkloadServiceAccount ?? false,
      identityMountsToken: this.identity.automountServiceAccountToken,
      labels: { [LABELS.readerOf]: this.props.synthesized.split.name, ...this.identity.podLabels },
      annotations: { [SPICEPOD_CHECKSUM_ANNOTATION]: config.checksum },
      skipContainersAnnotation: this.identity.skipContainersAnnotation,
      imagePullSecrets: this.props.imagePullSecrets ?? [],
    };
  }
}
