import { Chart, Testing } from 'cdk8s';
import { describe, expect, it, vi } from 'vitest';
import { SplitSpec, synthesizeSplit } from '../../lib/core';
import { ReadWriteSplitChart, ReadWriteSplitChartProps, SpiceWriterCluster, SplitObservability, WriterWorkloads } from '../../lib/k8s';
import { awsSplit, ENTERPRISE_2 } from '../support/splits';
import { thrown } from '../support/errors';
import { TEST_FLIGHT_CA } from '../support/flight-ca';
import { expectValidManifests, find, K8sObject, WRITER_IRSA } from '../support/k8s';

function synth(props: Partial<ReadWriteSplitChartProps> = {}): K8sObject[] {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  return Testing.synth(new ReadWriteSplitChart(Testing.app(), 'shop', { split: awsSplit(), writerIdentity: WRITER_IRSA, ...props }));
}

describe('observability', () => {
  it('is off by default', () => {
    expect(synth().filter((d) => d.apiVersion.startsWith('monitoring.coreos.com/'))).toEqual([]);
  });

  it('refuses another namespace with writer TLS (the CA ConfigMap is the split\'s), with the chart\'s other problems', () => {
    const tls = awsSplit({ image: ENTERPRISE_2, writer: { tls: { secretName: 'shop-writer-tls', caCertificate: TEST_FLIGHT_CA } } });
    const error = thrown(() => synth({ split: tls, observability: { namespace: 'monitoring' }, argoCdSyncWave: 1.5 }));
    expect(error.problems.map((p) => p.path)).toEqual(['props.observability.namespace', 'props.argoCdSyncWave']);
    expect(error.problems[0].message).toMatch(/^is "monitoring", but the writers serve TLS and are scraped with the CA ConfigMap of "shop"/);
  });

  it('goes to another namespace when told, selecting the writers and the archiver in the split\'s by name', async () => {
    const monitoring = synth({ observability: { namespace: 'monitoring' } }).filter((d) => d.apiVersion.startsWith('monitoring.coreos.com/'));
    await expectValidManifests(monitoring);
    expect(monitoring.map((d) => d.metadata.namespace)).toEqual(['monitoring', 'monitoring', 'monitoring', 'monitoring']);
    expect(find(monitoring, 'PodMonitor', 'shop-writer').spec.namespaceSelector).toEqual({ matchNames: ['shop'] });
    expect(find(monitoring, 'PodMonitor', 'shop-archiver').spec.namespaceSelector).toEqual({ matchNames: ['shop'] });
    expect(find(monitoring, 'PodMonitor', 'shop-reader').spec.namespaceSelector).toEqual({ any: true });
    expect(JSON.stringify(find(monitoring, 'PrometheusRule', 'shop-spice').spec)).toContain('job=\\"monitoring/shop-writer\\"');
  });

  // orders uploads after every refresh whatever changed ('always'), so its snapshot age means something.
  const scheduled = awsSplit();
  const docs = synth({
    split: { ...scheduled, datasets: scheduled.datasets.map((d) => (d.name === 'orders' ? { ...d, snapshots: { creationPolicy: 'always' as const } } : d)) },
    observability: { labels: { release: 'prometheus' } },
  });

  it('renders valid PodMonitors for writers, the archiver (a job of its own) and reader pods in any namespace', async () => {
    await expectValidManifests(docs);
    const endpoints = [{ port: 'spice-metrics', path: '/metrics', interval: '30s' }];
    for (const tier of ['writer', 'archiver']) {
      expect(find(docs, 'PodMonitor', `shop-${tier}`).spec).toEqual({
        selector: { matchLabels: { 'read-write-split.io/split': 'shop', 'read-write-split.io/tier': tier } },
        podMetricsEndpoints: endpoints,
      });
    }
    const reader = find(docs, 'PodMonitor', 'shop-reader');
    expect(reader.spec.namespaceSelector).toEqual({ any: true });
    expect(reader.spec.selector).toEqual({ matchLabels: { 'read-write-split.io/reader-of': 'shop' } });
    expect(reader.metadata.labels.release).toBe('prometheus');
  });

  it('alerts on snapshot age, write failures, refresh errors and reader bootstrap failures', () => {
    const rules = find(docs, 'PrometheusRule', 'shop-spice').spec.groups[0].rules;
    expect(rules.map((r: K8sObject) => r.alert)).toEqual([
      'SpiceSnapshotStale', 'SpiceSnapshotWriteFailures', 'SpiceRefreshErrors', 'SpiceReaderBootstrapFailed', 'SpiceReaderDatasetNotLoaded',
    ]);
    // orders refreshes every 10m and snapshots on refresh: stale after three intervals, or when no
    // upload has been seen for as long (after a writer restart the gauge is absent until the first).
    const series = 'dataset_acceleration_snapshot_write_timestamp{job="shop/shop-writer", dataset="orders"}';
    expect(rules[0].expr).toBe(`(time() - max(last_over_time(${series}[1800s])) > 1800) or absent_over_time(${series}[1800s])`);
    expect(rules[0].labels).toEqual({ severity: 'warning', split: 'shop', dataset: 'orders' });
    expect(rules[1].expr).toBe('sum by (dataset) (increase(dataset_acceleration_snapshot_failure_count{job="shop/shop-writer"}[15m])) > 0');
    expect(rules[2].expr).toBe('sum by (dataset) (increase(dataset_acceleration_refresh_errors{job="shop/shop-writer"}[15m])) > 0');
    expect(rules[3].expr).toBe('max by (namespace, pod, dataset) (dataset_load_state{job="shop/shop-reader"}) == 3');
    // With retry (the default), a reader that cannot restore stays initializing rather than in Error.
    expect(rules[4]).toMatchObject({ expr: 'min by (namespace, pod, dataset) (dataset_load_state{job="shop/shop-reader"}) == 0', for: '15m' });
  });

  it('sizes the staleness window from a time-interval trigger', () => {
    const hourly = synth({
      split: awsSplit({ datasets: [{ name: 'orders', from: 's3://l/o/', snapshots: { trigger: 'time_interval', threshold: '1h', creationPolicy: 'always' } }] }),
      observability: {},
    });
    const rules = find(hourly, 'PrometheusRule', 'shop-spice').spec.groups[0].rules;
    expect(rules[0].expr).toMatch(/> 10800\) or absent_over_time\(.*\[10800s\]\)$/);
  });
});

describe('observability beside a writer cluster built by hand', () => {
  const HELM: WriterWorkloads = { type: 'helm', chartVersion: '2.2.0', podSecurity: 'baseline' };

  /**
   * The writer cluster and the monitors as separate constructs, as a user composes them without
   * ReadWriteSplitChart; the cluster's split may differ from the monitors' in name or namespace.
   */
  function composed(workloads: WriterWorkloads | undefined, writerWorkloads?: 'statefulsets' | 'helm' | 'spicepodset', cluster: Partial<SplitSpec> = {}) {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    const synthesized = synthesizeSplit(awsSplit({ image: ENTERPRISE_2 }));
    new SpiceWriterCluster(chart, 'Writers', { synthesized: synthesizeSplit(awsSplit({ image: ENTERPRISE_2, ...cluster })), identity: WRITER_IRSA, workloads });
    new SplitObservability(chart, 'Monitoring', { synthesized, writerWorkloads });
    return app;
  }

  it("refuses to scrape by port name the pods of Helm or operator writers, which do not name it, and says which type to give", () => {
    for (const [workloads, type] of [[HELM, 'helm'], [{ type: 'spicepodset' }, 'spicepodset']] as const) {
      expect(() => composed(workloads).synthYaml()).toThrow(
        `[shop/Monitoring] writerWorkloads: is 'statefulsets' (the default), but shop/Writers runs the writers as '${type}' workloads, whose pods do not name their metrics port "spice-metrics": the writer PodMonitor would scrape nothing; set writerWorkloads: '${type}'`,
      );
    }
    expect(() => composed(HELM, 'statefulsets').synthYaml()).toThrow("[shop/Monitoring] writerWorkloads: is 'statefulsets', but shop/Writers runs the writers as 'helm' workloads");
  });

  it("leaves alone the writers of another split, or of the split's name in another namespace", () => {
    expect(() => composed(HELM, undefined, { name: 'stock' }).synthYaml()).not.toThrow();
    expect(() => composed(HELM, undefined, { namespace: 'shop-staging' }).synthYaml()).not.toThrow();
  });

  it('scrapes them by number when told, and the library\'s StatefulSets by name by default', () => {
    const monitorOf = (app: ReturnType<typeof composed>) => find(app.charts.flatMap((c) => c.toJson()), 'PodMonitor', 'shop-writer').spec.podMetricsEndpoints[0];
    expect(monitorOf(composed(HELM, 'helm'))).toEqual({ targetPort: 9090, path: '/metrics', interval: '30s' });
    expect(monitorOf(composed(undefined))).toEqual({ port: 'spice-metrics', path: '/metrics', interval: '30s' });
  });
});
