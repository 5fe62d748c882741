import { Testing } from 'cdk8s';
import { describe, expect, it, vi } from 'vitest';
import { ReadWriteSplitChart, ReadWriteSplitChartProps } from '../../lib/k8s';
import { awsSplit } from '../support/splits';
import { expectValidManifests, find, K8sObject } from '../support/k8s';

function synth(props: Partial<ReadWriteSplitChartProps> = {}): K8sObject[] {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  return Testing.synth(new ReadWriteSplitChart(Testing.app(), 'shop', { split: awsSplit(), ...props }));
}

describe('observability', () => {
  it('is off by default', () => {
    expect(synth().filter((d) => d.apiVersion.startsWith('monitoring.coreos.com/'))).toEqual([]);
  });

  const docs = synth({ observability: { labels: { release: 'prometheus' } } });

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
      'SpiceSnapshotStale', 'SpiceSnapshotWriteFailures', 'SpiceRefreshErrors', 'SpiceReaderBootstrapFailed',
    ]);
    // orders refreshes every 10m and snapshots on refresh: stale after three intervals.
    expect(rules[0].expr).toBe('time() - max(dataset_acceleration_snapshot_write_timestamp{job="shop/shop-writer", dataset="orders"}) > 1800');
    expect(rules[0].labels).toEqual({ severity: 'warning', split: 'shop', dataset: 'orders' });
    expect(rules[1].expr).toBe('sum by (dataset) (increase(dataset_acceleration_snapshot_failure_count{job="shop/shop-writer"}[15m])) > 0');
    expect(rules[2].expr).toBe('sum by (dataset) (increase(dataset_acceleration_refresh_errors{job="shop/shop-writer"}[15m])) > 0');
    expect(rules[3].expr).toBe('max by (namespace, pod, dataset) (dataset_load_state{job="shop/shop-reader"}) == 3');
  });

  it('sizes the staleness window from a time-interval trigger', () => {
    const hourly = synth({
      split: awsSplit({ datasets: [{ name: 'orders', from: 's3://l/o/', snapshots: { trigger: 'time_interval', threshold: '1h' } }] }),
      observability: {},
    });
    const rules = find(hourly, 'PrometheusRule', 'shop-spice').spec.groups[0].rules;
    expect(rules[0].expr).toMatch(/> 10800$/);
  });
});
