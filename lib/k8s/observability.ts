import { Construct } from 'constructs';
import { alertRules, SynthesizedSplit } from '../core';
import { LABELS } from './labels';
import { manifest } from './manifest';

/** Props of the split's monitoring objects (Prometheus Operator). */
export interface SplitObservabilityProps {
  readonly split: SynthesizedSplit;
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

/**
 * PodMonitors for the writer tier (writers and archiver) and for every pod running a reader of
 * the split (in any namespace), and a PrometheusRule with the split's alerts.
 */
export class SplitObservability extends Construct {
  constructor(scope: Construct, id: string, props: SplitObservabilityProps) {
    super(scope, id);
    const { split } = props.split;
    const labels = { [LABELS.split]: split.name, ...props.labels };
    const endpoint = { port: 'metrics', path: '/metrics', interval: props.interval ?? '30s' };
    const writerName = `${split.name}-writer`;
    const readerName = `${split.name}-reader`;
    manifest(this, 'Writer', 'monitoring.coreos.com/v1', 'PodMonitor', { name: writerName, namespace: split.namespace, labels }, {
      spec: {
        selector: {
          matchLabels: { [LABELS.split]: split.name },
          matchExpressions: [{ key: LABELS.tier, operator: 'In', values: ['writer', 'archiver'] }],
        },
        podMetricsEndpoints: [endpoint],
      },
    });
    manifest(this, 'Reader', 'monitoring.coreos.com/v1', 'PodMonitor', { name: readerName, namespace: split.namespace, labels }, {
      spec: {
        namespaceSelector: { any: true },
        selector: { matchLabels: { [LABELS.readerOf]: split.name } },
        podMetricsEndpoints: [endpoint],
      },
    });
    // The Prometheus Operator names a PodMonitor's job `<namespace>/<name>`.
    const rules = alertRules(split, { writer: `${split.namespace}/${writerName}`, reader: `${split.namespace}/${readerName}` });
    manifest(this, 'Rules', 'monitoring.coreos.com/v1', 'PrometheusRule', { name: `${split.name}-spice`, namespace: split.namespace, labels }, {
      spec: { groups: [{ name: `${split.name}-spice`, rules }] },
    });
  }
}
