import { join } from 'node:path';
import { ApiObject, Chart, Include, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SnapshotStoreSpec, synthesizeSplit } from '../../lib';
import { ReaderRestartSchedule, SpiceReaderSidecarProps, WARNING_METADATA } from '../../lib/k8s';
import { awsSplit } from '../support/splits';
import { checksumOf, expectValidManifests, find, K8sObject, restrictedViolations, spicepodOf } from '../support/k8s';
import { appChart, podSpec, restrictedApp, sidecar } from '../support/reader-apps';
import { ROOT } from '../support/run';
import { thrown } from '../support/errors';

const GCS = { cloud: 'gcp', bucket: 'shop-snapshots', region: 'europe-west4' } as const;
/** The test split with its snapshots on another cloud (identities must be of the store's cloud). */
const onStore = (store: SnapshotStoreSpec) => synthesizeSplit(awsSplit({ store, datasets: [{ name: 'orders', from: 's3://lake/orders/' }] }));
const LEGACY = join(ROOT, 'examples', 'k8s', 'manifests', 'legacy-api.yaml');

describe('the reader sidecar on a cdk8s-plus Deployment', () => {
  let docs: K8sObject[];
  beforeEach(() => {
    const chart = appChart();
    sidecar(chart).addTo(restrictedApp(chart));
    docs = Testing.synth(chart);
  });

  it('renders valid manifests: the Deployment, its NetworkPolicy, the reader ConfigMap and ServiceAccount', async () => {
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'ServiceAccount/shop-reader', 'ConfigMap/web-spice-reader', 'Deployment/web', 'NetworkPolicy/web-spice-reader',
    ]);
    await expectValidManifests(docs);
  });

  it('runs as a native sidecar with the reader Spicepod, probes and the seed\'s sizing', () => {
    const spec = podSpec(docs, 'Deployment', 'web');
    expect(spec.initContainers).toHaveLength(1);
    const reader = spec.initContainers[0];
    expect(reader).toMatchObject({
      name: 'spice-reader',
      image: 'spiceai/spiceai:1.11.5',
      restartPolicy: 'Always',
      args: ['--http', '0.0.0.0:8090', '--flight', '0.0.0.0:50051', '--metrics', '0.0.0.0:9090', '/spicepod/spicepod.yaml'],
      resources: { requests: { 'cpu': '500m', 'memory': '512Mi', 'ephemeral-storage': '11264Mi' }, limits: { cpu: '2000m', memory: '4096Mi' } },
    });
    expect(reader.readinessProbe.httpGet).toMatchObject({ path: '/v1/ready', port: 8090 });
    expect(reader.livenessProbe.httpGet).toMatchObject({ path: '/health', port: 8090 });
    expect(spicepodOf(find(docs, 'ConfigMap', 'web-spice-reader')).name).toBe('shop-reader');
  });

  it('sizes /local for the datasets this application reads: twice what it restores, at least 10Gi, 1Gi when it restores nothing, and requests it with /tmp as ephemeral storage', () => {
    const big = synthesizeSplit(awsSplit({
      writer: { flightEndpoint: 'http://shop-writers.internal.example.com:50051' },
      datasets: [{ name: 'history', from: 's3://lake/history/', expectedSize: '30Gi' }, { name: 'audit', from: 's3://lake/audit/', readers: 'delegated' }],
    }));
    const localOf = (datasets?: string[]) => {
      const chart = appChart();
      sidecar(chart, { synthesized: big, datasets }).addTo(restrictedApp(chart));
      const spec = podSpec(Testing.synth(chart), 'Deployment', 'web');
      return [spec.volumes.find((v: K8sObject) => v.name === 'spice-reader-local').emptyDir.sizeLimit, spec.initContainers[0].resources.requests['ephemeral-storage']];
    };
    // The scheduler reads requests, never sizeLimit: the restore and /tmp (1Gi) are requested.
    expect([localOf(), localOf(['history']), localOf(['audit'])]).toEqual([['61440Mi', '62464Mi'], ['61440Mi', '62464Mi'], ['1024Mi', '2048Mi']]);
  });

  it("takes the sidecar's own localDisk over the sizing, warns when it is less than twice what it restores, and refuses one that is not a size", () => {
    const big = synthesizeSplit(awsSplit({ datasets: [{ name: 'history', from: 's3://lake/history/', expectedSize: '30Gi' }] }));
    const build = (localDisk: string) => {
      const chart = appChart();
      const reader = sidecar(chart, { synthesized: big, localDisk });
      reader.addTo(restrictedApp(chart));
      const spec = podSpec(Testing.synth(chart), 'Deployment', 'web');
      const warnings = reader.node.metadata.filter((entry) => entry.type === WARNING_METADATA && entry.data.path === 'props.localDisk').map((entry) => `${entry.data.path}: ${entry.data.id}`);
      return { local: spec.volumes.find((v: K8sObject) => v.name === 'spice-reader-local').emptyDir.sizeLimit, request: spec.initContainers[0].resources.requests['ephemeral-storage'], warnings };
    };
    // Twice history's 30Gi fits; beyond the seed's read-instance shape (50Gi), as the description's reader.localDisk is.
    expect(build('64Gi')).toEqual({ local: '65536Mi', request: '66560Mi', warnings: ['props.localDisk: large-reader-disk'] });
    expect(build('40Gi')).toEqual({ local: '40960Mi', request: '41984Mi', warnings: ['props.localDisk: reader-disk-small'] });
    // Every problem at once: a dataset that is not the split's, and a disk of nothing.
    expect(thrown(() => sidecar(appChart(), { synthesized: big, localDisk: 'big' })).problems).toEqual([{ path: 'props.localDisk', message: '"big" is not a size', fix: "use a Kubernetes quantity, e.g. '4Gi'" }]);
    expect(thrown(() => sidecar(appChart(), { synthesized: big, datasets: ['histroy'], localDisk: '0' })).problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      expect.stringMatching(/^props\.datasets\[0\]: /),
      'props.localDisk: "0" is less than 1Mi',
    ]);
  });

  it('restores into a size-limited emptyDir at /local, one file per accelerated dataset', () => {
    const spec = podSpec(docs, 'Deployment', 'web');
    expect(spec.volumes).toContainEqual({ name: 'spice-reader-local', emptyDir: { sizeLimit: '10240Mi' } });
    expect(spec.initContainers[0].volumeMounts).toContainEqual({ name: 'spice-reader-local', mountPath: '/local', subPath: 'acceleration' });
    const files = spicepodOf(find(docs, 'ConfigMap', 'web-spice-reader')).datasets.flatMap((d: K8sObject) => Object.values(d.acceleration?.params ?? {}));
    expect(files).toEqual(['/local/orders.duckdb']);
  });

  it('holds no Secret but the cluster API key', () => {
    const env = podSpec(docs, 'Deployment', 'web').initContainers[0].env;
    const secrets = env.filter((e: K8sObject) => e.valueFrom).map((e: K8sObject) => e.valueFrom.secretKeyRef);
    expect(secrets).toEqual([{ key: 'api-key', name: 'shop-cluster-api-key' }]);
  });

  it('binds the pod to the read-only identity and labels it as a reader of the split', () => {
    const deployment = find(docs, 'Deployment', 'web');
    expect(deployment.spec.template.spec.serviceAccountName).toBe('shop-reader');
    expect(deployment.spec.template.metadata.labels['read-write-split.io/reader-of']).toBe('shop');
    expect(deployment.spec.template.metadata.annotations['read-write-split.io/spicepod-checksum']).toBe(checksumOf(find(docs, 'ConfigMap', 'web-spice-reader')));
    expect(find(docs, 'ServiceAccount', 'shop-reader').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/shop-reader' });
  });

  it('keeps the sidecar\'s ports private: the NetworkPolicy admits the app\'s ports and metrics scrapes only', () => {
    const deployment = find(docs, 'Deployment', 'web');
    expect(find(docs, 'NetworkPolicy', 'web-spice-reader').spec).toEqual({
      podSelector: { matchLabels: deployment.spec.selector.matchLabels },
      policyTypes: ['Ingress'],
      ingress: [
        { ports: [{ protocol: 'TCP', port: 8080 }] },
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9090 }] },
      ],
    });
  });

  // The workload hands its rendering to the NetworkPolicy: with either rendered first, a change between synths reaches both.
  it.each([['after', false], ['before', true]])('follows the workload when it changes between two synths of one turn, with the NetworkPolicy rendered %s it', (_, policyFirst) => {
    const chart = appChart();
    const web = restrictedApp(chart);
    sidecar(chart).addTo(web);
    const workload = ApiObject.of(web);
    const policy = workload.node.children.find((child) => child instanceof ApiObject && child.kind === 'NetworkPolicy')!;
    if (policyFirst) workload.addDependency(policy);
    const ingressPorts = (synthesized: K8sObject[]) => find(synthesized, 'NetworkPolicy', 'web-spice-reader').spec.ingress[0].ports;
    const first = Testing.synth(chart);
    expect(first.findIndex((doc) => doc.kind === 'NetworkPolicy') < first.findIndex((doc) => doc.kind === 'Deployment')).toBe(policyFirst);
    expect(ingressPorts(first)).toEqual([{ protocol: 'TCP', port: 8080 }]);
    const secure = { user: 10001, capabilities: { drop: [kplus.Capability.ALL] }, seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT } };
    web.addContainer({ name: 'admin', image: 'admin:1', portNumber: 8443, securityContext: secure });
    const again = Testing.synth(chart);
    expect(ingressPorts(again)).toEqual([{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 8443 }]);
    expect(podSpec(again, 'Deployment', 'web').containers.map((c: K8sObject) => c.name)).toEqual(['web', 'admin']);
  });

  it('meets the restricted Pod Security Standard with a restricted app', () => {
    expect(restrictedViolations(podSpec(docs, 'Deployment', 'web'))).toEqual([]);
  });

  it('renders the same container and volumes as the manifest path, compared as they are', () => {
    const fromKplus = podSpec(docs, 'Deployment', 'web');
    const chart = appChart();
    const object = new ApiObject(chart, 'd', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1', ports: [{ containerPort: 8080 }] }] } } },
    });
    sidecar(chart).addToManifest(object);
    const fromManifest = podSpec(Testing.synth(chart), 'Deployment', 'web');
    expect(fromKplus.initContainers[0]).toEqual(fromManifest.initContainers[0]);
    const ours = (spec: K8sObject) => spec.volumes.filter((v: K8sObject) => v.name.startsWith('spice-reader-'));
    expect(ours(fromKplus)).toEqual(ours(fromManifest));
  });
});

describe('the reader sidecar in other shapes', () => {
  it('runs as a classic container on older clusters', () => {
    const chart = appChart();
    sidecar(chart, { mode: 'classic' }).addTo(restrictedApp(chart));
    const spec = podSpec(Testing.synth(chart), 'Deployment', 'web');
    expect(spec.initContainers).toBeUndefined();
    expect(spec.containers.map((c: K8sObject) => c.name)).toEqual(['web', 'spice-reader']);
    expect(spec.containers[1].restartPolicy).toBeUndefined();
  });

  it('joins a cdk8s-plus StatefulSet', async () => {
    const chart = appChart();
    const sts = new kplus.StatefulSet(chart, 'db', { metadata: { name: 'db' }, containers: [{ image: 'db:1', portNumber: 5432 }] });
    sidecar(chart).addTo(sts);
    const docs = Testing.synth(chart);
    expect(podSpec(docs, 'StatefulSet', 'db').initContainers[0].name).toBe('spice-reader');
    await expectValidManifests(docs);
  });

  it('binds Azure workload identity with the pod label AKS needs', () => {
    const chart = appChart();
    sidecar(chart, { synthesized: onStore({ cloud: 'azure', account: 'shopsnaps', container: 'snaps', region: 'westeurope' }), identity: { type: 'azure-workload-identity', clientId: '6f1c2b3a-0d4e-4f5a-9b8c-7d6e5f4a3b2c' } }).addTo(restrictedApp(chart));
    const docs = Testing.synth(chart);
    expect(find(docs, 'Deployment', 'web').spec.template.metadata.labels['azure.workload.identity/use']).toBe('true');
    expect(find(docs, 'ServiceAccount', 'shop-reader').metadata.annotations).toEqual({ 'azure.workload.identity/client-id': '6f1c2b3a-0d4e-4f5a-9b8c-7d6e5f4a3b2c' });
  });

  it("keeps the reader's Azure token out of the application's containers (AKS skip-containers), beside those the pod skips already, unless it keeps its ServiceAccount", () => {
    const azure = { synthesized: onStore({ cloud: 'azure', account: 'shopsnaps', container: 'snaps', region: 'westeurope' }), identity: { type: 'azure-workload-identity', clientId: '6f1c2b3a-0d4e-4f5a-9b8c-7d6e5f4a3b2c' } } as const;
    const secure = { user: 10001, capabilities: { drop: [kplus.Capability.ALL] }, seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT } };
    const annotationsOf = (podAnnotations?: Record<string, string>) => {
      const chart = appChart();
      const app = new kplus.Deployment(chart, 'web', {
        metadata: { name: 'web' },
        podMetadata: { annotations: podAnnotations },
        initContainers: [{ name: 'migrate', image: 'web:1', securityContext: secure }],
        containers: [{ name: 'web', image: 'web:1', portNumber: 8080, securityContext: secure }, { name: 'worker', image: 'worker:1', securityContext: secure }],
      });
      sidecar(chart, azure).addTo(app);
      return find(Testing.synth(chart), 'Deployment', 'web').spec.template.metadata.annotations;
    };
    expect(annotationsOf()['azure.workload.identity/skip-containers']).toBe('migrate;web;worker');
    expect(annotationsOf({ 'azure.workload.identity/skip-containers': 'worker;istio-proxy' })['azure.workload.identity/skip-containers']).toBe('worker;istio-proxy;migrate;web');
    // A ServiceAccount the workload keeps may carry the application's own identity, shared with the reader: its containers keep it.
    const kept = appChart();
    const own = new kplus.ServiceAccount(kept, 'sa', { metadata: { name: 'web-sa' } });
    const keptApp = new kplus.Deployment(kept, 'kept-web', { metadata: { name: 'kept-web' }, serviceAccount: own, containers: [{ name: 'web', image: 'web:1', portNumber: 8080, securityContext: secure }] });
    sidecar(kept, { ...azure, keepWorkloadServiceAccount: true }).addTo(keptApp);
    const keptDocs = Testing.synth(kept);
    expect(find(keptDocs, 'ServiceAccount', 'web-sa').metadata.annotations).toEqual({ 'azure.workload.identity/client-id': '6f1c2b3a-0d4e-4f5a-9b8c-7d6e5f4a3b2c' });
    expect(find(keptDocs, 'Deployment', 'kept-web').spec.template.metadata.annotations['azure.workload.identity/skip-containers']).toBeUndefined();
    // Not on other clouds: the reference documents no such annotation for them.
    const chart = appChart();
    sidecar(chart).addTo(restrictedApp(chart));
    expect(Object.keys(find(Testing.synth(chart), 'Deployment', 'web').spec.template.metadata.annotations)).toEqual(['read-write-split.io/spicepod-checksum']);
  });

  it('binds GKE workload identity without a token mount', () => {
    const chart = appChart();
    sidecar(chart, { synthesized: onStore(GCS), identity: { type: 'gke-workload-identity', googleServiceAccountEmail: 'shop-reader@acme-prod.iam.gserviceaccount.com' } }).addTo(restrictedApp(chart));
    const docs = Testing.synth(chart);
    expect(find(docs, 'ServiceAccount', 'shop-reader').metadata.annotations).toEqual({ 'iam.gke.io/gcp-service-account': 'shop-reader@acme-prod.iam.gserviceaccount.com' });
    expect(podSpec(docs, 'Deployment', 'web').automountServiceAccountToken).toBe(false);
  });
});

describe('the reader sidecar on an existing manifest (Include)', () => {
  function included(props: Partial<SpiceReaderSidecarProps> = {}) {
    const chart = new Chart(Testing.app(), 'legacy', { namespace: 'shop' });
    const include = new Include(chart, 'legacy', { url: LEGACY });
    sidecar(chart, props).addToManifest(include.apiObjects[0]);
    return Testing.synth(chart) as K8sObject[];
  }

  it('patches the sidecar, its volumes, labels, checksum and ServiceAccount in, keeping the app as it was', async () => {
    const docs = included();
    await expectValidManifests(docs);
    const template = find(docs, 'Deployment', 'legacy-api').spec.template;
    expect(template.spec.containers.map((c: K8sObject) => c.name)).toEqual(['api']);
    expect(template.spec.initContainers.map((c: K8sObject) => [c.name, c.restartPolicy])).toEqual([['spice-reader', 'Always']]);
    expect(template.spec.volumes.map((v: K8sObject) => v.name)).toEqual(['spice-reader-local', 'spice-reader-spicepod', 'spice-reader-tmp']);
    expect(template.metadata.labels).toEqual({ 'app': 'legacy-api', 'read-write-split.io/reader-of': 'shop' });
    expect(template.metadata.annotations['read-write-split.io/spicepod-checksum']).toBe(checksumOf(find(docs, 'ConfigMap', 'legacy-api-spice-reader')));
    expect(template.spec.serviceAccountName).toBe('shop-reader');
    expect(restrictedViolations(template.spec)).toEqual([]);
    expect(find(docs, 'NetworkPolicy', 'legacy-api-spice-reader').spec.ingress[0]).toEqual({ ports: [{ protocol: 'TCP', port: 8080 }] });
  });

  it('serves a subset of the datasets', () => {
    const pod = spicepodOf(find(included({ datasets: ['history'] }), 'ConfigMap', 'legacy-api-spice-reader'));
    expect(pod.datasets.map((d: K8sObject) => d.name)).toEqual(['history']);
  });

  /** A game server: UDP beside TCP, and a TLS proxy as a native sidecar of its own. */
  function gameServer(props: Partial<SpiceReaderSidecarProps> = {}) {
    const chart = new Chart(Testing.app(), 'game', { namespace: 'shop' });
    const deployment = new ApiObject(chart, 'game', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'game' },
      spec: {
        selector: { matchLabels: { app: 'game' } },
        template: {
          metadata: { labels: { app: 'game' } },
          spec: {
            containers: [{ name: 'server', image: 'game:1', ports: [{ containerPort: 7777, protocol: 'UDP' }, { containerPort: 7778 }] }],
            initContainers: [
              { name: 'migrate', image: 'game:1', ports: [{ containerPort: 9000 }] },
              { name: 'tls-proxy', image: 'proxy:1', restartPolicy: 'Always', ports: [{ containerPort: 8443, protocol: 'TCP' }] },
            ],
          },
        },
      },
    });
    sidecar(chart, props).addToManifest(deployment);
    return Testing.synth(chart) as K8sObject[];
  }

  it("admits the app's ports with their protocols, and its native sidecars' ports, not those of init containers that end", () => {
    expect(find(gameServer(), 'NetworkPolicy', 'game-spice-reader').spec.ingress[0]).toEqual({
      ports: [{ protocol: 'UDP', port: 7777 }, { protocol: 'TCP', port: 7778 }, { protocol: 'TCP', port: 8443 }],
    });
  });

  it('takes appPorts with a protocol, and refuses one Kubernetes does not know', () => {
    const policy = find(gameServer({ appPorts: [{ port: 7777, protocol: 'UDP' }, 7778] }), 'NetworkPolicy', 'game-spice-reader');
    expect(policy.spec.ingress[0]).toEqual({ ports: [{ protocol: 'UDP', port: 7777 }, { protocol: 'TCP', port: 7778 }] });
    const error = thrown(() => gameServer({ appPorts: [{ port: 7777, protocol: 'QUIC' as never }, { port: 0 }] }));
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual(['props.appPorts[0].protocol: "QUIC" is not a port protocol', 'props.appPorts[1].port: 0 is not a port']);
  });
});

describe('several applications and existing settings', () => {
  it('gives each workload its own Spicepod ConfigMap, and each chart the reader ServiceAccount its pods run as', async () => {
    const app = Testing.app();
    const one = new Chart(app, 'one', { namespace: 'shop' });
    const two = new Chart(app, 'two', { namespace: 'shop' });
    sidecar(one).addTo(restrictedApp(one));
    const include = new Include(two, 'legacy', { url: LEGACY });
    sidecar(two, { datasets: ['orders'] }).addToManifest(include.apiObjects[0]);
    const docs = [...Testing.synth(one), ...Testing.synth(two)];
    await expectValidManifests(docs);
    // One ServiceAccount per namespace and chart: each chart deploys on its own, and both render the same object.
    expect(Testing.synth(one).filter((d) => d.kind === 'ServiceAccount').map((d) => d.metadata.name)).toEqual(['shop-reader']);
    expect(Testing.synth(two).filter((d) => d.kind === 'ServiceAccount').map((d) => d.metadata.name)).toEqual(['shop-reader']);
    const [first, second] = docs.filter((d) => d.kind === 'ServiceAccount');
    expect(second).toEqual(first);
    expect(spicepodOf(find(docs, 'ConfigMap', 'web-spice-reader')).datasets.map((d: K8sObject) => d.name)).toEqual(['orders', 'history']);
    expect(spicepodOf(find(docs, 'ConfigMap', 'legacy-api-spice-reader')).datasets.map((d: K8sObject) => d.name)).toEqual(['orders']);
    expect(find(docs, 'Deployment', 'legacy-api').spec.template.spec.volumes).toContainEqual({ name: 'spice-reader-spicepod', configMap: { name: 'legacy-api-spice-reader' } });
  });

  it('keeps the workload\'s ServiceAccount when asked to', () => {
    const chart = appChart();
    const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'web-sa' } });
    const web = new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, serviceAccount: sa, containers: [{ image: 'web:1', portNumber: 8080 }] });
    sidecar(chart, { keepWorkloadServiceAccount: true }).addTo(web);
    expect(podSpec(Testing.synth(chart), 'Deployment', 'web').serviceAccountName).toBe('web-sa');
  });

  it('keeps a token the application mounts, even when the identity needs none', () => {
    const chart = appChart();
    const web = new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, automountServiceAccountToken: true, containers: [{ image: 'web:1', portNumber: 8080 }] });
    sidecar(chart, { synthesized: onStore(GCS), identity: { type: 'gke-workload-identity' } }).addTo(web);
    expect(podSpec(Testing.synth(chart), 'Deployment', 'web').automountServiceAccountToken).toBe(true);
  });

  it('selects the included workload\'s pods with its own selector, expressions included', () => {
    const chart = new Chart(Testing.app(), 'x', { namespace: 'shop' });
    const selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] };
    const object = new ApiObject(chart, 'd', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' },
      spec: { selector, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api:1', ports: [{ containerPort: 8080 }] }] } } },
    });
    sidecar(chart).addToManifest(object);
    expect(find(Testing.synth(chart), 'NetworkPolicy', 'api-spice-reader').spec.podSelector).toEqual(selector);
  });
});

describe('the test helpers can fail', () => {
  it('the Kubernetes validator rejects a broken manifest', async () => {
    const broken = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x' }, spec: { replicas: 'three', selector: {}, serviceName: 'x', template: {} } };
    await expect(expectValidManifests([broken])).rejects.toThrow(/StatefulSet\/x: .*replicas must be integer/);
  });

  it('the restricted check rejects a pod that escalates, keeps capabilities and runs as root', () => {
    const violations = restrictedViolations({
      hostNetwork: true,
      volumes: [{ name: 'host', hostPath: { path: '/' } }],
      containers: [{ name: 'bad', securityContext: { privileged: true, runAsUser: 0 } }],
    });
    expect(violations).toEqual([
      'hostNetwork is true',
      'volume host is of type hostPath',
      'container bad is privileged',
      'container bad allows privilege escalation',
      'container bad does not drop ALL capabilities',
      'container bad may run as root',
      'container bad runs as user 0',
      'container bad has no RuntimeDefault seccomp profile',
    ]);
  });
});

vi.spyOn(console, 'warn').mockImplementation(() => undefined);

describe('scheduled restarts for readers that cannot hot-swap', () => {
  it('roll the workload with a least-privilege CronJob that meets the restricted standard', async () => {
    const chart = appChart();
    const web = restrictedApp(chart);
    sidecar(chart).addTo(web);
    new ReaderRestartSchedule(chart, 'restart', { workload: web, schedule: '0 */6 * * *', kubectlImage: 'registry.k8s.io/kubectl:v1.31.0' });
    const docs = Testing.synth(chart);
    await expectValidManifests(docs);
    expect(find(docs, 'Role', 'web-spice-restart').rules).toEqual([{ apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'], verbs: ['get', 'patch'] }]);
    const job = find(docs, 'CronJob', 'web-spice-restart').spec;
    expect(job.schedule).toBe('0 */6 * * *');
    expect(job.concurrencyPolicy).toBe('Forbid');
    const pod = job.jobTemplate.spec.template.spec;
    expect(pod.containers[0].args).toEqual(['rollout', 'restart', 'deployment/web']);
    expect(restrictedViolations(pod)).toEqual([]);
    expect(() => new ReaderRestartSchedule(chart, 'bad', { workload: web, schedule: 'every 6h', kubectlImage: 'k:1' })).toThrow(/"every 6h" is not a cron schedule/);
  });

  it('grant each workload kind its own resource, and refuse what cannot roll', () => {
    const chart = appChart();
    const daemons = new kplus.DaemonSet(chart, 'agent', { metadata: { name: 'agent' }, containers: [{ image: 'agent:1' }] });
    new ReaderRestartSchedule(chart, 'restart', { workload: daemons, schedule: '0 * * * *', kubectlImage: 'k:1' });
    const docs = Testing.synth(chart);
    expect(find(docs, 'Role', 'agent-spice-restart').rules[0].resources).toEqual(['daemonsets']);
    expect(find(docs, 'CronJob', 'agent-spice-restart').spec.jobTemplate.spec.template.spec.containers[0].args).toEqual(['rollout', 'restart', 'daemonset/agent']);
    const job = new ApiObject(chart, 'job', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once' } });
    expect(() => new ReaderRestartSchedule(chart, 'bad', { workload: job, schedule: '0 * * * *', kubectlImage: 'k:1' })).toThrow(/is a Job, which has no rolling restart/);
  });
});
