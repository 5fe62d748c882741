import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { SplitSpec, SynthesizedSplit, synthesizeSplit } from '../core';
import { WorkloadIdentity } from './identity';
import { manifest } from './manifest';
import { RESTRICTED_NAMESPACE_LABELS } from './pod-security';
import { SpiceReaderSidecar, SpiceReaderSidecarProps } from './reader-sidecar';
import { SplitObservability, SplitObservabilityProps } from './observability';
import { NodeSpread } from './spice-pod';
import { SpiceWriterCluster } from './writer-cluster';

/** Props of the split's chart. */
export interface ReadWriteSplitChartProps extends Omit<ChartProps, 'namespace'> {
  /** The split description; the chart's namespace is the split's. */
  readonly split: SplitSpec;
  /**
   * Read-write cloud identity of the writers and the archiver.
   *
   * @default - none
   */
  readonly writerIdentity?: WorkloadIdentity;
  /**
   * Render the split's Namespace, enforcing the restricted Pod Security Standard.
   *
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Whether two writers may share a node.
   *
   * @default 'required'
   */
  readonly nodeSpread?: NodeSpread;
  /**
   * Namespace allowed to scrape metrics.
   *
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
  /**
   * Render PodMonitors and a PrometheusRule (needs the Prometheus Operator's CRDs).
   *
   * @default - off
   */
  readonly observability?: Omit<SplitObservabilityProps, 'split'>;
}

/**
 * The writer side of a split: namespace, writer cluster, archiver and NetworkPolicies. Readers go
 * into application charts with `readerSidecar`.
 *
 * @throws SplitValidationError at construction when the description is invalid
 */
export class ReadWriteSplitChart extends Chart {
  /** Everything the core derived from the description. */
  public readonly synthesized: SynthesizedSplit;
  public readonly writer: SpiceWriterCluster;
  private readonly monitoringNamespace: string;

  constructor(scope: Construct, id: string, props: ReadWriteSplitChartProps) {
    const synthesized = synthesizeSplit(props.split);
    super(scope, id, { ...props, namespace: synthesized.split.namespace });
    this.synthesized = synthesized;
    this.monitoringNamespace = props.monitoringNamespace ?? 'monitoring';
    if (props.createNamespace ?? true) {
      manifest(this, 'Namespace', 'v1', 'Namespace', { name: synthesized.split.namespace, labels: { ...RESTRICTED_NAMESPACE_LABELS } }, {});
    }
    this.writer = new SpiceWriterCluster(this, 'Writer', {
      split: synthesized,
      identity: props.writerIdentity,
      nodeSpread: props.nodeSpread,
      monitoringNamespace: this.monitoringNamespace,
    });
    if (props.observability) new SplitObservability(this, 'Observability', { ...props.observability, split: synthesized });
    for (const warning of synthesized.warnings) {
      console.warn(`[read-write-split] ${synthesized.split.name}: ${warning.path}: ${warning.message}`);
    }
  }

  /**
   * The reader sidecar of this split for an application chart; add it to workloads with `addTo`
   * or `addToManifest`.
   */
  public readerSidecar(scope: Construct, id: string, props: Omit<SpiceReaderSidecarProps, 'split'> = {}): SpiceReaderSidecar {
    return new SpiceReaderSidecar(scope, id, { monitoringNamespace: this.monitoringNamespace, ...props, split: this.synthesized });
  }
}
