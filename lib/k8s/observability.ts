import { Construct } from 'constructs';
import {
  alertRules, alertRulesName, FLIGHT_CA_KEY, flightCaConfigMapName, formatProblem, hasStore, NAMESPACE_NAME, podMonitorName, ResolvedSplit, SplitValidationError, StoredSplit,
  SynthesizedSplit, ValidationProblem, writerServiceHost, writerServiceName,
} from '../core';
import { HelmWriterRelease } from './helm-writer-release';
import { LABELS, tierLabels } from './labels';
import { DEFAULT_PORTS, PORT_NAMES } from './spice-container';
import { manifest } from './manifest';
import { addLibraryValidation, perSynthCall } from './per-synth';
import { SpicepodSetWriter } from './spicepod-set-writer';
import { SpiceWriterCluster } from './writer-cluster';

/** Props of the split's monitoring objects (Prometheus Operator). */
export interface SplitObservabilityOptions {
  /**
   * Extra labels on the PodMonitors and PrometheusRule, e.g. the `release` label your Prometheus selects.
   *
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Scrape interval.
   *
   * @default '30s'
   */
  readonly interval?: string;
  /**
   * Namespace of the PodMonitors and the PrometheusRule. The writer and archiver PodMonitors then
   * select the split's namespace by name.
   *
   * @default - the split's namespace; for a split whose writer is a Spice Cloud app, which has no
   * namespace of its own, the chart's `monitoringNamespace` ('monitoring')
   */
  readonly namespace?: string;
}

/** Props of the split's monitoring objects. */
export interface SplitObservabilityProps extends SplitObservabilityOptions {
  /** The synthesized split (see `synthesizeSplit`). */
  readonly synthesized: SynthesizedSplit;
  /**
   * What runs the writer pods (the writer cluster's `workloads.type`): the library's StatefulSets
   * name their metrics port; the Helm chart's and the operator's pods are scraped by its number.
   * Left at 'statefulsets' beside a `SpiceWriterCluster` of the split (in the same app) whose
   * writers are Helm or operator pods, the synth fails: the writer PodMonitor would scrape nothing.
   *
   * @default 'statefulsets'
   */
  readonly writerWorkloads?: 'statefulsets' | 'helm' | 'spicepodset';
}

/**
 * PodMonitors for the writers, the archiver and every pod running a reader of
 * the split (in any namespace), and a PrometheusRule with the split's alerts. For a split whose
 * writer is a Spice Cloud app: the readers' PodMonitor and alerts only (the app is watched in
 * Spice Cloud).
 *
 * @throws SplitValidationError for a Spice Cloud split without `namespace`
 */
export class SplitObservability extends Construct {
  constructor(scope: Construct, id: string, props: SplitObservabilityProps) {
    super(scope, id);
    const { split } = props.synthesized;
    const namespace = monitoringNamespaceOf(split, props.namespace, this.node.path);
    const labels = { [LABELS.split]: split.name, ...props.labels };
    const endpoint = { port: PORT_NAMES.metrics, path: '/metrics', interval: props.interval ?? '30s' };
    const writerName = podMonitorName(split.name, 'writer');
    const readerName = podMonitorName(split.name, 'reader');
    if (hasStore(split)) {
      this.writerMonitors(split, namespace, labels, endpoint, props.writerWorkloads);
      // A writer cluster built beside these monitors (not by ReadWriteSplitChart, which passes its
      // workloads) may run pods that do not name the metrics port: checked once per app synth call.
      if ((props.writerWorkloads ?? 'statefulsets') === 'statefulsets') {
        const check = () => writersWithoutNamedMetrics(this, split, props.writerWorkloads).map(formatProblem);
        addLibraryValidation(this, perSynthCall(this, check));
      }
    }
    manifest(this, 'Reader', 'monitoring.coreos.com/v1', 'PodMonitor', { name: readerName, namespace, labels }, {
      spec: {
        namespaceSelector: { any: true },
        selector: { matchLabels: { [LABELS.readerOf]: split.name } },
        podMetricsEndpoints: [endpoint],
      },
    });
    // The Prometheus Operator names a PodMonitor's job `<namespace>/<name>`.
    const rules = alertRules(split, { writer: `${namespace}/${writerName}`, reader: `${namespace}/${readerName}` });
    manifest(this, 'Rules', 'monitoring.coreos.com/v1', 'PrometheusRule', { name: alertRulesName(split.name), namespace, labels }, {
      spec: { groups: [{ name: alertRulesName(split.name), rules }] },
    });
  }

  /**
   * The writers and the archiver, scraped under separate jobs: the archiver writes the archive
   * location, and its daily snapshot must not hide a stalled snapshot owner.
   */
  private writerMonitors(
    split: StoredSplit, namespace: string, labels: Record<string, string>, endpoint: { port: string; path: string; interval: string }, workloads: SplitObservabilityProps['writerWorkloads'],
  ): void {
    // Elsewhere than the split's namespace, the writers' pods are selected in theirs by name.
    const namespaceSelector = namespace === split.namespace ? {} : { namespaceSelector: { matchNames: [split.namespace] } };
    for (const tier of ['writer', 'archiver'] as const) {
      const byNumber = tier === 'writer' && (workloads ?? 'statefulsets') !== 'statefulsets';
      const port = byNumber ? { targetPort: DEFAULT_PORTS.metrics } : { port: endpoint.port };
      const { port: _named, ...rest } = endpoint;
      const scraped = { ...port, ...rest, ...(tier === 'writer' && split.writer.tls ? writerScrapeTls(split) : {}) };
      manifest(this, tier === 'writer' ? 'Writer' : 'Archiver', 'monitoring.coreos.com/v1', 'PodMonitor', { name: podMonitorName(split.name, tier), namespace, labels }, {
        spec: { ...namespaceSelector, selector: { matchLabels: tierLabels(split.name, tier) }, podMetricsEndpoints: [scraped] },
      });
    }
  }
}


/**
 * The split's writer clusters in this app whose pods the writer PodMonitor would miss: it scrapes
 * the metrics port by the name the library's StatefulSets give it, which the Helm chart's and the
 * operator's pods do not have.
 */
function writersWithoutNamedMetrics(scope: Construct, split: StoredSplit, given: SplitObservabilityProps['writerWorkloads']): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const cluster of writerClustersOf(scope, split)) {
    const type = cluster.owner instanceof HelmWriterRelease ? 'helm' : cluster.owner instanceof SpicepodSetWriter ? 'spicepodset' : undefined;
    if (type === undefined) continue;
    problems.push({
      path: 'writerWorkloads',
      message: `is 'statefulsets'${given === undefined ? ' (the default)' : ''}, but ${cluster.node.path} runs the writers as '${type}' workloads, `
        + `whose pods do not name their metrics port "${PORT_NAMES.metrics}": the writer PodMonitor would scrape nothing`,
      fix: `set writerWorkloads: '${type}' (the writer cluster's workloads.type), or build both with ReadWriteSplitChart`,
    });
  }
  return problems;
}

/** The writer clusters of this split (its name and namespace) anywhere in the app. */
function writerClustersOf(scope: Construct, split: StoredSplit): SpiceWriterCluster[] {
  const service = writerServiceName(split.name);
  return scope.node.root.node.findAll()
    .filter((c): c is SpiceWriterCluster => c instanceof SpiceWriterCluster && c.serviceName === service && c.service.metadata.namespace === split.namespace);
}

/**
 * Where the monitoring objects go: a Spice Cloud split has no namespace of its own, so it is
 * told; writers serving TLS are scraped with the CA ConfigMap of the split's namespace, which a
 * PodMonitor reads from its own.
 */
function monitoringNamespaceOf(split: ResolvedSplit, given: string | undefined, where: string): string {
  const namespace = given ?? (split.writer.spiceCloud ? undefined : split.namespace);
  const problem = (message: string, fix: string) => new SplitValidationError(split.name, [{ path: 'namespace', message, fix }], where);
  if (namespace === undefined) throw problem('is missing: a split whose writer is a Spice Cloud app has no namespace of its own', "give the namespace of your monitoring objects, e.g. 'monitoring'");
  if (typeof namespace !== 'string' || !NAMESPACE_NAME.test(namespace)) throw problem(`${JSON.stringify(namespace)} is not a Kubernetes namespace`, "use lowercase letters, digits and '-'");
  if (split.writer.tls && namespace !== split.namespace) {
    throw problem(`is ${JSON.stringify(namespace)}, but the writers serve TLS and are scraped with the CA ConfigMap of ${JSON.stringify(split.namespace)}, which a PodMonitor reads from its own namespace`, 'leave it out');
  }
  return namespace;
}

/** Writers serving TLS serve metrics over TLS too: scraped with the split's CA, by the Service's name. */
function writerScrapeTls(split: ResolvedSplit) {
  return {
    scheme: 'https',
    tlsConfig: { ca: { configMap: { name: flightCaConfigMapName(split.name), key: FLIGHT_CA_KEY } }, serverName: writerServiceHost(split.name, split.namespace) },
  };
}
