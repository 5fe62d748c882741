import { Testing } from 'cdk8s';
import { describe, expect, it, vi } from 'vitest';
import { ReadWriteSplitChart } from '../../lib/k8s';
import { awsSplit, ENTERPRISE_2 } from '../support/splits';
import { find, K8sObject, WRITER_IRSA } from '../support/k8s';
import { SplitSpec } from '../../lib';

/** Every alert means what its name says. */
function rules(split: SplitSpec): K8sObject[] {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const docs = Testing.synth(new ReadWriteSplitChart(Testing.app(), 'shop', { split, writerIdentity: WRITER_IRSA, observability: {} })) as K8sObject[];
  return find(docs, 'PrometheusRule', 'shop-spice').spec.groups[0].rules;
}

describe('alerts', () => {
  it('do not call an on_change snapshot stale: an unchanged source rightly writes none', () => {
    const onChange = rules(awsSplit({ datasets: [{ name: 'orders', from: 's3://l/o/', snapshots: { creationPolicy: 'on_change' } }] }));
    expect(onChange.map((r) => r.alert)).not.toContain('SpiceSnapshotStale');
    const always = rules(awsSplit({ datasets: [{ name: 'orders', from: 's3://l/o/', snapshots: { creationPolicy: 'always' } }] }));
    expect(always.filter((r) => r.alert === 'SpiceSnapshotStale').map((r) => r.labels.dataset)).toEqual(['orders']);
  });

  it('call a stale snapshot stale also after a writer restart, when the gauge is absent until the first upload', () => {
    const [stale] = rules(awsSplit({ datasets: [{ name: 'orders', from: 's3://l/o/', snapshots: { creationPolicy: 'always' } }] }));
    expect(stale.expr).toContain('absent_over_time(dataset_acceleration_snapshot_write_timestamp{job="shop/shop-writer", dataset="orders"}[1800s])');
    // A restarted writer's old series went stale: its last value still counts within the window.
    expect(stale.expr).toContain('max(last_over_time(dataset_acceleration_snapshot_write_timestamp{job="shop/shop-writer", dataset="orders"}[1800s]))');
  });

  it('name a hot-swap reader\'s Error state for what it is: it may still serve the previous snapshot', () => {
    const once = rules(awsSplit()).map((r) => r.alert);
    expect(once).toContain('SpiceReaderBootstrapFailed');
    const hotSwap = rules(awsSplit({ image: ENTERPRISE_2, datasets: [{ name: 'orders', from: 's3://l/o/' }] }));
    expect(hotSwap.map((r) => r.alert)).toContain('SpiceReaderDatasetError');
    expect(hotSwap.map((r) => r.alert)).not.toContain('SpiceReaderBootstrapFailed');
    expect(hotSwap.find((r) => r.alert === 'SpiceReaderDatasetError')!.annotations.description).toMatch(/still serves the previous/);
  });
});
