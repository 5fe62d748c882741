import { Construct } from 'constructs';
import { alertRules, alertRulesName, FLIGHT_CA_KEY, flightCaConfigMapName, podMonitorName, ResolvedSplit, storedSplit, SynthesizedSplit, writerServiceHost } from '../core';
import { LABELS, tierLabels } from './labels';
import { DEFAULT_PORTS, PORT_NAMES } from './spice-container';
import { manifest } from './manifest';

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
}

/** Props of the split's monitoring objects. */
export interface SplitObservabilityProps extends SplitObservabilityOptions {
  /** The synthesized split (see `synthesizeSplit`). */
  readonly synthesized: SynthesizedSplit;
  /**
   * What runs the writer pods (the writer cluster's `workloads.type`): the library's StatefulSets
   * name their metrics port; the Helm chart's and the operator's pods are scraped by its number.
   *
   * @default 'statefulsets'
   */
  readonly writerWorkloads?: 'statefulsets' | 'helm' | 'spicepodset';
}

/**
 * PodMonitors for the writers, the archiver and every pod running a reader of
 * the split (in any namespace), and a PrometheusRule with the split's alerts.
 */
export class SplitObservability extends Construct {
  constructor(scope: Construct, id: string, props: SplitObservabilityProps) {
    super(scope, id);
    // A Spice Cloud split's writers are the app's, and nothing of it runs in its own namespace.
    const split = storedSplit(props.synthesized.split, 'SplitObservability', 'synthesized.split');
    const labels = { [LABELS.split]: split.name, ...props.labels };
    const endpoint = { port: PORT_NAMES.metrics, path: '/metrics', interval: props.interval ?? '30s' };
    const writerName = podMonitorName(split.name, 'writer');
    const readerName = podMonitorName(split.name, 'reader');
    // Writers and the archiver are scraped under separate jobs: the archiver writes the archive
    // location, and its daily snapshot must not hide a stalled snapshot owner.
    for (const tier of ['writer', 'archiver'] as const) {
      const byNumber = tier === 'writer' && (props.writerWorkloads ?? 'statefulsets') !== 'statefulsets';
      const port = byNumber ? { targetPort: DEFAULT_PORTS.metrics } : { port: endpoint.port };
      const { port: _named, ...rest } = endpoint;
      const scraped = { ...port, ...rest, ...(tier === 'writer' && split.writer.tls ? writerScrapeTls(split) : {}) };
      manifest(this, tier === 'writer' ? 'Writer' : 'Archiver', 'monitoring.coreos.com/v1', 'PodMonitor', { name: podMonitorName(split.name, tier), namespace: split.namespace, labels }, {
        spec: { selector: { matchLabels: tierLabels(split.name, tier) }, podMetricsEndpoints: [scraped] },
      });
    }
    manifest(this, 'Reader', 'monitoring.coreos.com/v1', 'PodMonitor', { name: readerName, namespace: split.namespace, labels }, {
      spec: {
        namespaceSelector: { any: true },
        selector: { matchLabels: { [LABELS.readerOf]: split.name } },
        podMetricsEndpoints: [endpoint],
      },
    });
    // The Prometheus Operator names a PodMonitor's job `<namespace>/<name>`.
    const rules = alertRules(split, { writer: `${split.namespace}/${writerName}`, reader: `${split.namespace}/${readerName}` });
    manifest(this, 'Rules', 'monitoring.coreos.com/v1', 'PrometheusRule', { name: alertRulesName(split.name), namespace: split.namespace, labels }, {
      spec: { groups: [{ name: alertRulesName(split.name), rules }] },
    });
  }
}

/** Writers serving TLS serve metrics over TLS too: scraped with the split's CA, by the Service's name. */
function writerScrapeTls(split: ResolvedSplit) {
  return {
    scheme: 'https',
    tlsConfig: { ca: { configMap: { name: flightCaConfigMapName(split.name), key: FLIGHT_CA_KEY } }, serverName: writerServiceHost(split.name, split.namespace) },
  };
}
