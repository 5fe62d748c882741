import { Chart, Testing } from 'cdk8s';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ReadWriteSplitChart } from '../../lib/k8s';
import { awsSplit } from '../support/splits';
import { checksumOf, expectValidManifests, find, K8sObject, restrictedViolations, spicepodOf } from '../support/k8s';
import { expectValidSpicepod } from '../support/spicepod-schema';
import { thrown } from '../support/errors';

function synth(props: Partial<ConstructorParameters<typeof ReadWriteSplitChart>[2]> = {}) {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const chart = new ReadWriteSplitChart(Testing.app(), 'shop', {
    split: awsSplit({ writer: { replicas: 4 } }),
    writerIdentity: { type: 'aws-irsa', roleArn: 'arn:aws:iam::111122223333:role/shop-writer' },
    ...props,
  });
  return Testing.synth(chart) as K8sObject[];
}

describe('the writer cluster', () => {
  let docs: K8sObject[];
  beforeAll(() => {
    docs = synth();
  });

  it('renders valid Kubernetes manifests', async () => {
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Namespace/shop',
      'ServiceAccount/shop-writer',
      'ConfigMap/shop-writer-owner-spicepod',
      'Service/shop-writer-owner-headless',
      'StatefulSet/shop-writer-owner',
      'ConfigMap/shop-writer-replica-spicepod',
      'Service/shop-writer-replica-headless',
      'StatefulSet/shop-writer-replica',
      'Service/shop-writer',
      'PodDisruptionBudget/shop-writer',
      'ConfigMap/shop-archiver-spicepod',
      'Deployment/shop-archiver',
      'NetworkPolicy/shop-writer',
      'NetworkPolicy/shop-archiver',
    ]);
    await expectValidManifests(docs);
    for (const config of docs.filter((d) => d.kind === 'ConfigMap')) expectValidSpicepod(config.data['spicepod.yaml']);
  });

  it('lets exactly one pod upload to the snapshot location', () => {
    const uploaders = docs
      .filter((d) => ['StatefulSet', 'Deployment'].includes(d.kind))
      .flatMap((workload) => {
        const configName = workload.spec.template.spec.volumes.find((v: K8sObject) => v.configMap)?.configMap.name;
        const pod = spicepodOf(find(docs, 'ConfigMap', configName));
        const uploads = pod.datasets.some((d: K8sObject) => ['enabled', 'create_only'].includes(d.acceleration?.snapshots));
        return uploads ? [{ location: pod.snapshots.location, replicas: workload.spec.replicas }] : [];
      });
    const refresh = uploaders.filter((u) => u.location === 's3://shop-snapshots/shop/refresh/');
    expect(refresh).toEqual([{ location: 's3://shop-snapshots/shop/refresh/', replicas: 1 }]);
    // The archiver is the single uploader of the archive location, and cannot run twice during a rollout.
    expect(uploaders.filter((u) => u.location === 's3://shop-snapshots/shop/archive/')).toEqual([{ location: 's3://shop-snapshots/shop/archive/', replicas: 1 }]);
    expect(find(docs, 'Deployment', 'shop-archiver').spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('runs the remaining replicas as query replicas that bootstrap only', () => {
    const replicas = find(docs, 'StatefulSet', 'shop-writer-replica');
    expect(replicas.spec.replicas).toBe(3);
    const pod = spicepodOf(find(docs, 'ConfigMap', 'shop-writer-replica-spicepod'));
    expect(pod.datasets.find((d: K8sObject) => d.name === 'orders').acceleration.snapshots).toBe('bootstrap_only');
  });

  it('gives each replica a retained persistent volume for the acceleration files', () => {
    for (const name of ['shop-writer-owner', 'shop-writer-replica']) {
      const sts = find(docs, 'StatefulSet', name);
      expect(sts.spec.volumeClaimTemplates).toEqual([{
        metadata: { name: 'data', labels: sts.metadata.labels },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } },
      }]);
      expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
      const mounts = sts.spec.template.spec.containers[0].volumeMounts;
      expect(mounts).toContainEqual({ name: 'data', mountPath: '/data' });
      // The claim is no ephemeral storage: only /tmp (1Gi) is requested from the node's disk.
      expect(sts.spec.template.spec.containers[0].resources.requests['ephemeral-storage']).toBe('1024Mi');
    }
  });

  it('spreads writers over nodes and zones, with a disruption budget', () => {
    const spread = find(docs, 'StatefulSet', 'shop-writer-owner').spec.template.spec.topologySpreadConstraints;
    const selector = { matchLabels: { 'read-write-split.io/split': 'shop', 'read-write-split.io/tier': 'writer' } };
    expect(spread).toEqual([
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector },
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector },
    ]);
    expect(find(docs, 'PodDisruptionBudget', 'shop-writer').spec).toEqual({ maxUnavailable: 1, selector });
    const relaxed = synth({ nodeSpread: 'preferred' });
    expect(find(relaxed, 'StatefulSet', 'shop-writer-owner').spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('ScheduleAnyway');
  });

  it('exposes Arrow Flight and HTTP to readers on a ClusterIP Service over every writer', () => {
    const service = find(docs, 'Service', 'shop-writer');
    expect(service.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'read-write-split.io/split': 'shop', 'read-write-split.io/tier': 'writer' },
      ports: [
        { name: 'flight', port: 50051, targetPort: 'spice-flight', protocol: 'TCP' },
        { name: 'http', port: 8090, targetPort: 'spice-http', protocol: 'TCP' },
      ],
    });
    expect(find(docs, 'StatefulSet', 'shop-writer-owner').spec.serviceName).toBe('shop-writer-owner-headless');
    expect(find(docs, 'Service', 'shop-writer-owner-headless').spec.clusterIP).toBe('None');
  });

  it('runs spiced as the Spice chart does, reading the mounted Spicepod', () => {
    const container = find(docs, 'StatefulSet', 'shop-writer-owner').spec.template.spec.containers[0];
    expect(container.image).toBe('spiceai/spiceai:1.11.5');
    expect(container.args).toEqual(['--http', '0.0.0.0:8090', '--flight', '0.0.0.0:50051', '--metrics', '0.0.0.0:9090', '/spicepod/spicepod.yaml']);
    expect(container.volumeMounts).toContainEqual({ name: 'spicepod', mountPath: '/spicepod', readOnly: true });
    expect(container.startupProbe.httpGet).toEqual({ path: '/health', port: 8090 });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health', port: 8090 });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/v1/ready', port: 8090 });
    expect(container.ports.map((p: K8sObject) => p.containerPort)).toEqual([8090, 50051, 9090]);
  });

  it('rolls pods when their Spicepod changes', () => {
    for (const [workload, config] of [['StatefulSet/shop-writer-owner', 'shop-writer-owner-spicepod'], ['Deployment/shop-archiver', 'shop-archiver-spicepod']]) {
      const [kind, name] = workload.split('/');
      const annotation = find(docs, kind, name).spec.template.metadata.annotations['read-write-split.io/spicepod-checksum'];
      expect(annotation).toBe(checksumOf(find(docs, 'ConfigMap', config)));
    }
    const changed = synth({ split: awsSplit({ writer: { replicas: 4 }, datasets: [{ name: 'orders', from: 's3://lake/orders/', refresh: { checkInterval: '1m' } }] }) });
    expect(find(changed, 'StatefulSet', 'shop-writer-owner').spec.template.metadata.annotations)
      .not.toEqual(find(docs, 'StatefulSet', 'shop-writer-owner').spec.template.metadata.annotations);
  });

  it('takes source credentials and the API key only from Secret references', () => {
    const env = find(docs, 'StatefulSet', 'shop-writer-owner').spec.template.spec.containers[0].env;
    expect(env).toEqual([
      { name: 'HOME', value: '/app' },
      { name: 'HISTORY_PG_PASS', valueFrom: { secretKeyRef: { name: 'shop-db', key: 'password' } } },
      { name: 'CUSTOMERS_PG_PASS', valueFrom: { secretKeyRef: { name: 'shop-db', key: 'password' } } },
      { name: 'SPICE_CLUSTER_API_KEY', valueFrom: { secretKeyRef: { name: 'shop-cluster-api-key', key: 'api-key' } } },
    ]);
    expect(docs.some((d) => d.kind === 'Secret')).toBe(false);
  });

  it('binds writers and the archiver to the read-write identity', () => {
    const sa = find(docs, 'ServiceAccount', 'shop-writer');
    expect(sa.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/shop-writer' });
    expect(sa.automountServiceAccountToken).toBe(true);
    for (const [kind, name] of [['StatefulSet', 'shop-writer-owner'], ['Deployment', 'shop-archiver']]) {
      expect(find(docs, kind, name).spec.template.spec.serviceAccountName).toBe('shop-writer');
    }
  });

  it("gives the archiver the scratch disk an upload of its largest dataset takes, when that is more than the readers' disk, and requests it", () => {
    const archiverDisk = (spec: Parameters<typeof awsSplit>[0]) => {
      const chart = new ReadWriteSplitChart(Testing.app(), 'shop', { split: awsSplit(spec), writerIdentity: { type: 'aws-pod-identity' } });
      const pod = find(Testing.synth(chart) as K8sObject[], 'Deployment', 'shop-archiver').spec.template.spec;
      const disk = pod.volumes.find((v: K8sObject) => v.name === 'data').emptyDir.sizeLimit;
      // The data volume and /tmp (1Gi): the scheduler places pods by requests, never by sizeLimit.
      expect(pod.containers[0].resources.requests['ephemeral-storage']).toBe(`${Number.parseInt(disk, 10) + 1024}Mi`);
      return disk;
    };
    const large = { name: 'orders', from: 's3://lake/orders/', params: { file_format: 'parquet' }, expectedSize: '12Gi' };
    // One 12 GiB DuckDB file: readers get twice it (24 GiB); its upload holds it and two copies (36 GiB).
    expect(archiverDisk({ datasets: [large] })).toBe(`${36 * 1024}Mi`);
    // Readers given more than that: the archiver has theirs.
    expect(archiverDisk({ datasets: [large], reader: { localDisk: '50Gi' } })).toBe(`${50 * 1024}Mi`);
  });

  it('admits Flight only, and only from reader pods and the archiver, metrics only from monitoring', () => {
    expect(find(docs, 'NetworkPolicy', 'shop-writer').spec).toEqual({
      podSelector: { matchLabels: { 'read-write-split.io/split': 'shop', 'read-write-split.io/tier': 'writer' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { namespaceSelector: {}, podSelector: { matchLabels: { 'read-write-split.io/reader-of': 'shop' } } },
            { podSelector: { matchLabels: { 'read-write-split.io/split': 'shop', 'read-write-split.io/tier': 'archiver' } } },
          ],
          ports: [{ protocol: 'TCP', port: 50051 }],
        },
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9090 }] },
      ],
    });
    const custom = synth({ monitoringNamespace: 'observability' });
    expect(JSON.stringify(find(custom, 'NetworkPolicy', 'shop-writer').spec)).toContain('"kubernetes.io/metadata.name":"observability"');
  });

  it('admits readers outside the cluster by address to the Flight port, with externalReaderCidrs', () => {
    const external = synth({ externalReaderCidrs: ['10.20.0.0/24', 'fd00:20::/64'] });
    const flight = find(external, 'NetworkPolicy', 'shop-writer').spec.ingress[0];
    expect(flight.from).toEqual([
      { namespaceSelector: {}, podSelector: { matchLabels: { 'read-write-split.io/reader-of': 'shop' } } },
      { ipBlock: { cidr: '10.20.0.0/24' } },
      { ipBlock: { cidr: 'fd00:20::/64' } },
      { podSelector: { matchLabels: { 'read-write-split.io/split': 'shop', 'read-write-split.io/tier': 'archiver' } } },
    ]);
    expect(flight.ports).toEqual([{ protocol: 'TCP', port: 50051 }]);
  });

  it('refuses external reader ranges that are no ranges, carry host bits, admit every address or are IPv4 written as IPv6', () => {
    const error = thrown(() => synth({ externalReaderCidrs: ['10.20.0.5', '10.20.0.5/24', '0.0.0.0/0', '::ffff:10.40.8.0/120'] }));
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'props.externalReaderCidrs[0]: "10.20.0.5" is not a CIDR block',
      'props.externalReaderCidrs[1]: "10.20.0.5/24" has address bits set beyond its /24 prefix',
      'props.externalReaderCidrs[2]: "0.0.0.0/0" is every address: anything that reaches the load balancer could dial the writers\' Flight port',
      'props.externalReaderCidrs[3]: "::ffff:10.40.8.0/120" is an IPv4-mapped IPv6 block: IPv4 traffic is matched by IPv4 blocks only, and Kubernetes\' stricter IP validation (KEP-4858) flags such addresses',
    ]);
    expect(error.problems[3].fix).toBe('write "10.40.8.0/24"');
    expect(thrown(() => synth({ externalReaderCidrs: [] })).message).toContain('props.externalReaderCidrs: [] is not a list of address ranges');
  });

  it('runs no archiver without a daily archive, and renders no NetworkPolicy or admission for one', () => {
    const noArchive = synth({ split: awsSplit({ writer: { replicas: 4 }, retention: { refreshSnapshots: '48h', dailyArchive: 'none' } }) });
    expect(noArchive.filter((d) => d.metadata.name === 'shop-archiver')).toEqual([]);
    expect(find(noArchive, 'NetworkPolicy', 'shop-writer').spec.ingress[0].from).toEqual([
      { namespaceSelector: {}, podSelector: { matchLabels: { 'read-write-split.io/reader-of': 'shop' } } },
    ]);
  });

  it('admits readers of the listed namespaces only with readerNamespaces, and refuses a delegating reader elsewhere', () => {
    const app = Testing.app();
    const split = new ReadWriteSplitChart(app, 'shop', { split: awsSplit(), writerIdentity: { type: 'aws-pod-identity' }, readerNamespaces: ['web', 'api'] });
    expect(find(Testing.synth(split) as K8sObject[], 'NetworkPolicy', 'shop-writer').spec.ingress[0].from[0]).toEqual({
      namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['web', 'api'] }] },
      podSelector: { matchLabels: { 'read-write-split.io/reader-of': 'shop' } },
    });
    const identity = { type: 'aws-pod-identity' } as const;
    expect(() => split.readerSidecar(new Chart(app, 'web', { namespace: 'web' }), 'reader', { identity })).not.toThrow();
    expect(thrown(() => split.readerSidecar(new Chart(app, 'batch', { namespace: 'batch' }), 'reader', { identity })).problems).toEqual([{
      path: 'props.namespace',
      message: "is batch (the chart's namespace), but the writers admit readers from web, api only (readerNamespaces): every delegated query would be blocked",
      fix: "add batch to readerNamespaces (the chart's, or the description's reader.namespaces), or run the application in one of those",
    }]);
    // A reader that delegates nothing never dials the writers.
    expect(() => split.readerSidecar(new Chart(app, 'reports', { namespace: 'reports' }), 'reader', { identity, datasets: ['orders'] })).not.toThrow();
    expect(thrown(() => synth({ readerNamespaces: [] })).problems).toContainEqual({
      path: 'props.readerNamespaces', message: 'is empty: no reader could reach the writers: leave it out to admit readers of any namespace', fix: "list the namespaces of the workloads, e.g. ['shop']",
    });
  });

  it('meets the restricted Pod Security Standard, in a namespace that enforces it', () => {
    for (const workload of docs.filter((d) => ['StatefulSet', 'Deployment'].includes(d.kind))) {
      expect(restrictedViolations(workload.spec.template.spec), workload.metadata.name).toEqual([]);
      const ctx = workload.spec.template.spec.containers[0].securityContext;
      expect(ctx).toMatchObject({ runAsUser: 65534, readOnlyRootFilesystem: true });
    }
    expect(find(docs, 'Namespace', 'shop').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(synth({ createNamespace: false }).some((d) => d.kind === 'Namespace')).toBe(false);
  });

  it("keeps its Namespace from GitOps pruning and deletion: it holds the writers' volumes, and often applications", () => {
    expect(find(docs, 'Namespace', 'shop').metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
    });
    const waved = find(synth({ argoCdSyncWave: -1 }), 'Namespace', 'shop');
    expect(waved.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'argocd.argoproj.io/sync-wave': '-1' });
  });

  it('renders a single snapshot owner without query replicas for one writer', () => {
    const single = synth({ split: awsSplit({ writer: { replicas: 1 } }) });
    expect(single.filter((d) => d.kind === 'StatefulSet').map((d) => [d.metadata.name, d.spec.replicas])).toEqual([['shop-writer-owner', 1]]);
  });

  it('fails at construction with the validation error on a bad description', () => {
    expect(() => synth({ split: awsSplit({ datasets: [{ name: 'Orders!', from: 's3://l/' }] }) })).toThrow(/datasets\[0\].name: "Orders!" is not a dataset name/);
  });
});
