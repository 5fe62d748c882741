import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { synthesizeSplit } from '../../lib';
import { ReadWriteSplitChart, SpiceReaderSidecar, WARNING_METADATA } from '../../lib/k8s';
import { awsSplit } from '../support/splits';
import { find, K8sObject } from '../support/k8s';
import { thrown } from '../support/errors';
import { INSIGHTS } from '../spice-cloud/support';

// awsSplit: split "shop" in namespace shop, datasets orders (readers restore it) and order_history (delegated).
const described = (namespaces: unknown) => awsSplit({ reader: { namespaces: namespaces as string[] } });
const identity = { type: 'aws-pod-identity' } as const;
const appSecurity = { user: 10001, group: 10001 };

function splitChart(namespaces: unknown, props: Partial<ConstructorParameters<typeof ReadWriteSplitChart>[2]> = {}) {
  const app = Testing.app();
  return { app, split: new ReadWriteSplitChart(app, 'shop', { split: described(namespaces), writerIdentity: identity, ...props }) };
}

describe("the description's reader.namespaces, read by the Kubernetes side", () => {
  it("admit only those namespaces' readers to the writers' Flight port, without the chart saying it again", () => {
    const { split } = splitChart(['web', 'api']);
    expect(find(Testing.synth(split) as K8sObject[], 'NetworkPolicy', 'shop-writer').spec.ingress[0].from[0]).toEqual({
      namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['web', 'api'] }] },
      podSelector: { matchLabels: { 'read-write-split.io/reader-of': 'shop' } },
    });
  });

  it('refuse a sidecar in another namespace, even one that delegates nothing: the cloud side would not trust its ServiceAccount', () => {
    const { app, split } = splitChart(['web']);
    expect(() => split.readerSidecar(new Chart(app, 'web', { namespace: 'web' }), 'reader', { identity })).not.toThrow();
    const problems = thrown(() => split.readerSidecar(new Chart(app, 'reports', { namespace: 'reports' }), 'reader', { identity, datasets: ['orders'] })).problems;
    // One problem, not a second one about the writers' NetworkPolicy.
    expect(problems).toEqual([{
      path: 'props.namespace',
      message: "is reports (the chart's namespace), but the description's reader.namespaces is web: the cloud side trusts the reader ServiceAccount there only, so every restore would be denied",
      fix: "add reports to the description's reader.namespaces (and deploy the cloud side again), or run the application in one of those",
    }]);
  });

  it('say to give the sidecar its namespace when it has none (a chart without one)', () => {
    const { app, split } = splitChart(['web']);
    expect(thrown(() => split.readerSidecar(new Chart(app, 'nowhere'), 'reader', { identity })).problems.map((p) => p.fix)).toEqual([
      "give the sidecar the namespace its workload runs in (its 'namespace' prop, or its chart's), one of the description's reader.namespaces, or run the application in one of those",
    ]);
  });

  it('let a workload keep a ServiceAccount of its own elsewhere (trusted by name on the cloud side), unless it delegates', () => {
    const { app, split } = splitChart(['web']);
    const ops = new Chart(app, 'ops', { namespace: 'ops' });
    const sa = new kplus.ServiceAccount(ops, 'sa', { metadata: { name: 'batch' } });
    const batch = new kplus.Deployment(ops, 'batch', { serviceAccount: sa, containers: [{ image: 'ghcr.io/acme/batch:1', portNumber: 8080, securityContext: appSecurity }] });
    expect(() => split.readerSidecar(ops, 'reader', { identity, datasets: ['orders'], keepWorkloadServiceAccount: true }).addTo(batch)).not.toThrow();
    expect(thrown(() => split.readerSidecar(ops, 'delegating', { identity, keepWorkloadServiceAccount: true })).problems.map((p) => p.message)).toEqual([
      "is ops (the chart's namespace), but the writers admit readers from web only (readerNamespaces): every delegated query would be blocked",
    ]);
  });

  it('refuse a workload elsewhere that was to keep its ServiceAccount but names none: its pod runs as the reader ServiceAccount', () => {
    const { app, split } = splitChart(['web']);
    const ops = new Chart(app, 'ops', { namespace: 'ops' });
    const batch = new kplus.Deployment(ops, 'batch', { containers: [{ image: 'ghcr.io/acme/batch:1', portNumber: 8080, securityContext: appSecurity }] });
    const sidecar = split.readerSidecar(ops, 'reader', { identity, datasets: ['orders'], keepWorkloadServiceAccount: true });
    expect(thrown(() => sidecar.addTo(batch)).problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      "props.namespace: is ops, but the description's reader.namespaces is web: the cloud side trusts the reader ServiceAccount there only, so every restore would be denied (ops/batch names no ServiceAccount of its own to keep)",
    ]);
  });

  it('hold a sidecar built without the chart to the writers\' default too: a delegating one elsewhere is refused', () => {
    const synthesized = synthesizeSplit(described(['web']));
    const ops = new Chart(Testing.app(), 'ops', { namespace: 'ops' });
    expect(thrown(() => new SpiceReaderSidecar(ops, 'reader', { synthesized, identity, keepWorkloadServiceAccount: true })).problems.map((p) => p.message)).toEqual([
      "is ops (the chart's namespace), but the writers admit readers from web only (readerNamespaces): every delegated query would be blocked",
    ]);
  });

  it("refuse the chart's own readerNamespaces when they differ from the description's, and take them when they are the same", () => {
    expect(thrown(() => splitChart(['web', 'api'], { readerNamespaces: ['web'] })).problems).toEqual([{
      path: 'props.readerNamespaces',
      message: "is web, but the description's reader.namespaces is web, api: the other side reads the description, so the two would disagree on where readers run",
      fix: "leave readerNamespaces out (the description's reader.namespaces is used), or make the two the same list, in the same order",
    }]);
    expect(() => splitChart(['web', 'api'], { readerNamespaces: ['web', 'api'] })).not.toThrow();
  });

  it('refuse a list that names no namespace, or names one twice or wrongly, at the description', () => {
    expect(thrown(() => splitChart([])).problems).toContainEqual({
      path: 'split.reader.namespaces',
      message: 'is empty: no reader could run anywhere: leave it out to decide it per side',
      fix: "list the namespaces of the workloads, e.g. ['shop']",
    });
    expect(thrown(() => splitChart(['web', 'Web', 'web'])).problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'split.reader.namespaces[1]: "Web" is not a Kubernetes namespace',
      'split.reader.namespaces[2]: "web" is already reader.namespaces[0]',
    ]);
  });
});

describe('a sidecar outside the split\'s namespace when the description names no reader.namespaces', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const undescribedWarnings = (sidecar: SpiceReaderSidecar) =>
    sidecar.node.metadata.filter((entry) => entry.type === WARNING_METADATA).map((entry) => entry.data).filter((w) => w.id === 'reader-namespace-undescribed');

  it('warns, once per namespace, that a cloud side trusting the default would deny it every restore', () => {
    const printed = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const app = Testing.app();
    const split = new ReadWriteSplitChart(app, 'shop', { split: awsSplit(), writerIdentity: identity });
    const web = new Chart(app, 'web', { namespace: 'web' });
    const first = split.readerSidecar(web, 'reader', { identity });
    split.readerSidecar(web, 'second', { identity });
    split.readerSidecar(new Chart(app, 'api', { namespace: 'api' }), 'reader', { identity });
    expect(undescribedWarnings(first)).toEqual([{
      id: 'reader-namespace-undescribed',
      path: 'props.namespace',
      message: 'is web, but the description names no reader.namespaces: a cloud side without readerNamespaces of its own trusts the reader ServiceAccount in shop only, and would deny this reader every restore; ' +
        "list web in the description's reader.namespaces (both sides read it), or acknowledge this when the cloud side's readerNamespaces lists it",
    }]);
    const lines = printed.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('[ack: reader-namespace-undescribed]'));
    expect(lines.map((line) => line.slice(0, line.indexOf(': is ') + 8))).toEqual(['[Warning at web/reader] props.namespace: is web', '[Warning at api/reader] props.namespace: is api']);
  });

  it("keeps quiet in the split's namespace, in a described one, for a ServiceAccount kept, once acknowledged, and for a Spice Cloud writer", () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const quiet = (spec: ReturnType<typeof awsSplit> | typeof INSIGHTS, namespace: string, options: { keepWorkloadServiceAccount?: boolean; datasets?: string[] } = {}) => {
      const app = Testing.app();
      const split = new ReadWriteSplitChart(app, 'shop', { split: spec, ...('store' in spec ? { writerIdentity: identity } : {}) });
      const readerIdentity = 'store' in spec ? { identity } : {};
      return undescribedWarnings(split.readerSidecar(new Chart(app, 'app', { namespace }), 'reader', { ...readerIdentity, datasets: [spec.datasets[0].name], ...options }));
    };
    expect(quiet(awsSplit(), 'shop')).toEqual([]);
    expect(quiet(described(['web']), 'web')).toEqual([]);
    expect(quiet(awsSplit(), 'ops', { keepWorkloadServiceAccount: true })).toEqual([]);
    expect(quiet(awsSplit({ acknowledgedWarnings: ['reader-namespace-undescribed'] }), 'web')).toEqual([]);
    expect(quiet(INSIGHTS, 'web')).toEqual([]);
    // A reader that restores nothing needs no trust; Azure on Spice 1.x reads with the nodes' identity.
    expect(quiet(awsSplit(), 'web', { datasets: ['history'] })).toEqual([]);
    const nodes = new ReadWriteSplitChart(Testing.app(), 'shop', { split: awsSplit({ store: { cloud: 'azure', account: 'shopsnaps', container: 'snaps', region: 'westeurope' }, datasets: [{ name: 'orders', from: 's3://lake/orders/', params: { s3_auth: 'public' } }] }) });
    expect(undescribedWarnings(nodes.readerSidecar(new Chart(nodes.node.scope!, 'app', { namespace: 'web' }), 'reader'))).toEqual([]);
    expect(quiet(awsSplit(), 'web')).toHaveLength(1);
  });
});
