import { Testing } from 'cdk8s';
import { describe, expect, it, vi } from 'vitest';
import { ReadWriteSplitChart } from '../../lib/k8s';
import { awsSplit } from '../support/splits';
import { K8sObject, WRITER_IRSA } from '../support/k8s';

/**
 * Stateful identities never change once released: a new StatefulSet name, `serviceName` or claim
 * template orphans every writer's volume on upgrade (and Kubernetes refuses to update the last two
 * in place). These literals are the released values; a change here is a breaking change.
 */
describe('frozen stateful identities of the writer cluster', () => {
  it('keep their StatefulSet names, serviceName and volume claim templates', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const chart = new ReadWriteSplitChart(Testing.app(), 'shop', { split: awsSplit({ writer: { replicas: 3, storageClass: 'gp3' } }), writerIdentity: WRITER_IRSA });
    const statefulSets = (Testing.synth(chart) as K8sObject[]).filter((d) => d.kind === 'StatefulSet');
    expect(statefulSets.map((s) => ({
      name: s.metadata.name,
      namespace: s.metadata.namespace,
      serviceName: s.spec.serviceName,
      selector: s.spec.selector,
      claims: s.spec.volumeClaimTemplates,
    }))).toEqual([
      {
        name: 'shop-writer-owner',
        namespace: 'shop',
        serviceName: 'shop-writer-owner-headless',
        selector: { matchLabels: { 'read-write-split.io/split': 'shop', 'read-write-split.io/tier': 'writer', 'read-write-split.io/role': 'snapshot-owner' } },
        claims: [{
          metadata: { name: 'data', labels: { 'read-write-split.io/split': 'shop', 'read-write-split.io/tier': 'writer', 'read-write-split.io/role': 'snapshot-owner' } },
          spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '20Gi' } } },
        }],
      },
      {
        name: 'shop-writer-replica',
        namespace: 'shop',
        serviceName: 'shop-writer-replica-headless',
        selector: { matchLabels: { 'read-write-split.io/split': 'shop', 'read-write-split.io/tier': 'writer', 'read-write-split.io/role': 'query-replica' } },
        claims: [{
          metadata: { name: 'data', labels: { 'read-write-split.io/split': 'shop', 'read-write-split.io/tier': 'writer', 'read-write-split.io/role': 'query-replica' } },
          spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '20Gi' } } },
        }],
      },
    ]);
  });

  it('keep the name of the Flight load balancer, whose address readers outside the cluster dial', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const chart = new ReadWriteSplitChart(Testing.app(), 'shop', {
      split: awsSplit(), writerIdentity: WRITER_IRSA, externalReaderCidrs: ['10.20.0.0/24'], flightLoadBalancer: { cloud: 'aws' },
    });
    const balancers = (Testing.synth(chart) as K8sObject[]).filter((d) => d.spec?.type === 'LoadBalancer');
    expect(balancers.map((b) => `${b.metadata.namespace}/${b.metadata.name}`)).toEqual(['shop/shop-writer-flight']);
  });
});
