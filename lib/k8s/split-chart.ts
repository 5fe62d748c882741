import { ApiObject, Chart, ChartProps, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { AnySplitSpec, checkSplit, NAMESPACE_NAME, spiceCloudRefusal, splitNameOf, SynthesizedSplit, WorkloadIdentity, writerShapeOf } from '../core';
import { Findings, quote } from '../core/errors';
import { manifest } from './manifest';
import { RESTRICTED_NAMESPACE_LABELS } from './pod-security';
import { SpiceReaderSidecar, SpiceReaderSidecarOptions } from './reader-sidecar';
import { SplitObservability, SplitObservabilityOptions } from './observability';
import { reportWarnings } from './warnings';
import { checkSpiceCloudChartProps } from './spice-cloud-chart';
import { checkedWriterClusterProps, checkWriterClusterOptions, SpiceWriterCluster, WriterClusterOptions } from './writer-cluster';
import { checkClusterApiKeySource, type ClusterApiKeyExternalSecret } from './cluster-api-key';
import type { FlightCertificateIssuer } from './flight-tls';

/** Props of the split's chart. */
export interface ReadWriteSplitChartProps extends Omit<ChartProps, 'namespace'>, Omit<WriterClusterOptions, 'identity'> {
  /** The split description (one whose writer is a Spice Cloud app too); the chart's namespace is the split's. */
  readonly split: AnySplitSpec;
  /**
   * Read-write cloud identity of the writers and the archiver.
   *
   * @default - none
   */
  readonly writerIdentity?: WriterClusterOptions['identity'];
  /**
   * Render the split's Namespace, enforcing the restricted Pod Security Standard (`baseline` with
   * `workloads: { type: 'helm' }`, whose chart's pods do not meet restricted; warn and audit stay
   * restricted). It holds the writers' volumes, and often applications: Argo CD and Flux are told
   * never to prune or delete it. Set `false` to own it elsewhere, e.g. when other teams' workloads
   * share it (`kubectl delete -f` of this chart's output deletes a Namespace it renders).
   *
   * @default true (none for a Spice Cloud split: nothing of it runs there)
   */
  readonly createNamespace?: boolean;
  /**
   * Render PodMonitors and a PrometheusRule (needs the Prometheus Operator's CRDs).
   *
   * @default - off
   */
  readonly observability?: SplitObservabilityOptions;
  /**
   * Argo CD sync wave of every object of the writer side (`argocd.argoproj.io/sync-wave`), for
   * one Argo CD application that holds both tiers: give it a wave before your applications', so
   * writers are synced and healthy before readers start (they still publish their first snapshot
   * after their first refresh).
   *
   * @default - no sync wave
   */
  readonly argoCdSyncWave?: number;
}

/** The Namespace label the API server enforces a Pod Security Standard by. */
const POD_SECURITY_ENFORCE = 'pod-security.kubernetes.io/enforce';

/** Argo CD's annotation that orders the sync of one application's objects. */
export const ARGOCD_SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/**
 * The Namespace outlives the GitOps application that renders it: deleting it would delete the
 * writers' volumes, and every workload that shares it. Argo CD neither prunes nor deletes it, Flux
 * does not prune it.
 */
const KEEP_NAMESPACE = { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' };

const PROMETHEUS_DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

function checkChartProps(props: ReadWriteSplitChartProps, synthesized: SynthesizedSplit | undefined, findings: Findings): void {
  const interval = props.observability?.interval;
  if (interval !== undefined && !PROMETHEUS_DURATION.test(interval)) {
    findings.problem('observability.interval', `${quote(interval)} is not a Prometheus duration`, "use e.g. '30s' or '1m'");
  }
  const namespace: unknown = props.observability?.namespace;
  if (namespace !== undefined && (typeof namespace !== 'string' || !NAMESPACE_NAME.test(namespace))) {
    findings.problem('observability.namespace', `${quote(namespace)} is not a Kubernetes namespace`, "use lowercase letters, digits and '-'");
  } else if (namespace !== undefined && synthesized?.split.writer.tls && namespace !== synthesized.split.namespace) {
    findings.problem(
      'observability.namespace',
      `is ${quote(namespace)}, but the writers serve TLS and are scraped with the CA ConfigMap of ${quote(synthesized.split.namespace)}, which a PodMonitor reads from its own namespace`,
      'leave it out',
    );
  }
  if (writerShapeOf(synthesized?.split, props.split)?.writer.spiceCloud) {
    checkSpiceCloudChartProps(props, findings);
    checkClusterApiKeySource(props.clusterApiKey, 'clusterApiKey', findings);
    return;
  }
  checkWriterClusterOptions({ ...props, identity: props.writerIdentity }, synthesized, findings, 'writerIdentity');
  if (props.workloads?.type === 'spicepodset' && (props.createNamespace ?? true)) {
    findings.warn(
      'spicepodset-pod-security',
      'workloads.type',
      "the Namespace enforces the restricted Pod Security Standard, which the operator's pods are not documented to meet (a SpicepodSet sets no securityContext): if they do not, the API server rejects them and the writers never start; "
        + 'check once in a test namespace (docs/writer-targets.md, Known gaps), or set createNamespace: false and own the Namespace at baseline',
    );
  }
  if (props.argoCdSyncWave !== undefined && !Number.isInteger(props.argoCdSyncWave)) {
    findings.problem('argoCdSyncWave', `${quote(props.argoCdSyncWave)} is not a sync wave`, 'use a whole number, e.g. -1');
  }
}

/**
 * The writer side of a split: namespace, writer cluster, archiver and NetworkPolicies. Readers go
 * into application charts with `readerSidecar`. When the writer is a Spice Cloud app
 * (`split.writer.spiceCloud`) the chart renders nothing itself: it hands its readers the split.
 *
 * @throws SplitValidationError at construction, listing every problem of the description and the props
 */
export class ReadWriteSplitChart extends Chart {
  /** Everything the core derived from the description. */
  public readonly synthesized: SynthesizedSplit;
  /** The Namespace; undefined when `createNamespace` is false. */
  public readonly namespaceObject?: ApiObject;
  private readonly monitoringNamespace: string;
  private readonly imagePullSecrets?: readonly string[];
  private readonly clusterApiKey?: ClusterApiKeyExternalSecret;
  private readonly flightClientCertificate?: FlightCertificateIssuer;
  private readonly writerCluster?: SpiceWriterCluster;
  private readonly writerIdentity?: WorkloadIdentity;
  private readonly readerNamespaces?: readonly string[];

  constructor(scope: Construct, id: string, props: ReadWriteSplitChartProps) {
    const findings = new Findings();
    const synthesized = checkSplit(props.split, findings.under('split'));
    super(scope, id, { ...props, namespace: synthesized?.split.namespace ?? props.split?.namespace });
    checkChartProps(props, synthesized, findings.under('props'));
    findings.throwIfProblems(splitNameOf(props.split), this.node.path);
    this.synthesized = synthesized!;
    const { split } = this.synthesized;
    this.monitoringNamespace = props.monitoringNamespace ?? 'monitoring';
    this.imagePullSecrets = props.pods?.imagePullSecrets;
    this.clusterApiKey = props.clusterApiKey;
    this.flightClientCertificate = props.flightClientCertificate;
    this.writerIdentity = props.writerIdentity;
    this.readerNamespaces = props.readerNamespaces ?? split.reader.namespaces;
    if (split.writer.spiceCloud) {
      // Only the readers' monitoring: the app itself is watched in Spice Cloud.
      if (props.observability) {
        new SplitObservability(this, 'Observability', { ...props.observability, namespace: props.observability.namespace ?? this.monitoringNamespace, synthesized: this.synthesized });
      }
      reportWarnings(this, split, findings.warnings);
      return;
    }
    if (props.createNamespace ?? true) {
      // The Spice Helm chart's pods meet baseline only (no seccomp profile, no dropped capabilities):
      // with them the Namespace enforces baseline, and still warns and audits against restricted.
      const enforce = props.workloads?.type === 'helm' ? { [POD_SECURITY_ENFORCE]: props.workloads.podSecurity } : {};
      this.namespaceObject = manifest(this, 'Namespace', 'v1', 'Namespace', { name: split.namespace, labels: { ...RESTRICTED_NAMESPACE_LABELS, ...enforce }, annotations: KEEP_NAMESPACE }, {});
      // A Namespace is cluster-scoped: the chart's namespace does not apply to it.
      this.namespaceObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
    this.writerCluster = new SpiceWriterCluster(this, 'Writer', checkedWriterClusterProps({ ...props, identity: props.writerIdentity, synthesized: this.synthesized }));
    if (props.observability) new SplitObservability(this, 'Observability', { ...props.observability, synthesized: this.synthesized, writerWorkloads: props.workloads?.type });
    reportWarnings(this, split, findings.warnings);
    if (props.argoCdSyncWave !== undefined) {
      for (const object of this.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)) {
        object.metadata.addAnnotation(ARGOCD_SYNC_WAVE, String(props.argoCdSyncWave));
      }
    }
  }

  /**
   * The writer cluster.
   *
   * @throws SplitValidationError when the writer is a Spice Cloud app (`split.writer.spiceCloud`): the chart renders none
   */
  public get writer(): SpiceWriterCluster {
    // Only a Spice Cloud split has no writer cluster.
    if (this.writerCluster) return this.writerCluster;
    throw spiceCloudRefusal(this.synthesized.split, 'ReadWriteSplitChart.writer');
  }

  /**
   * The reader sidecar of this split for an application chart; add it to workloads with `addTo`
   * or `addToManifest`. It pulls the image with the writers' `pods.imagePullSecrets` unless told
   * otherwise (those Secrets must exist in the application's namespace too), and takes the chart's
   * `clusterApiKey` and `flightClientCertificate` sources.
   */
  public readerSidecar(scope: Construct, id: string, options: SpiceReaderSidecarOptions = {}): SpiceReaderSidecar {
    return new SpiceReaderSidecar(scope, id, {
      monitoringNamespace: this.monitoringNamespace,
      imagePullSecrets: this.imagePullSecrets,
      clusterApiKey: this.clusterApiKey,
      flightClientCertificate: this.flightClientCertificate,
      ...options,
      synthesized: this.synthesized,
      writerIdentity: this.writerIdentity,
      // A Spice Cloud app is reached through egress, not the writers' NetworkPolicy.
      admittedNamespaces: this.writerCluster ? this.readerNamespaces : undefined,
    });
  }
}
