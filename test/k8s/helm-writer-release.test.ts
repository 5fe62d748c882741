import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { describe, expect, it, vi } from 'vitest';
import { SplitSpec, WRITER_DATA_DIR } from '../../lib/core';
import { formatProblem } from '../../lib/core/errors';
import { HelmWriterRelease, HelmWriterWorkloads, ReadWriteSplitChart, ReadWriteSplitChartProps } from '../../lib/k8s';
import { TEST_FLIGHT_CA } from '../support/flight-ca';
import { expectValidManifests, find, K8sObject, restrictedViolations } from '../support/k8s';
import { thrown } from '../support/errors';
import { awsSplit, ENTERPRISE_2 } from '../support/splits';
import { expectValidSpicepod } from '../support/spicepod-schema';
import { helmValuesErrors, renderChart } from './helm-chart-template';

const AZURE_STORE = { cloud: 'azure', account: 'shopsnaps', container: 'snaps', region: 'westeurope' } as const;
const AZURE_IDENTITY = { type: 'azure-workload-identity', clientId: '6f1c2b3a-0d4e-4f5a-9b8c-7d6e5f4a3b2c' } as const;
const HELM: HelmWriterWorkloads = { type: 'helm', chartVersion: '2.2.0', podSecurity: 'baseline' };

function chartOf(props: Partial<ReadWriteSplitChartProps> = {}, split: SplitSpec = awsSplit({ store: AZURE_STORE, writer: { replicas: 3 } })) {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const chart = new ReadWriteSplitChart(Testing.app(), 'shop', { split, writerIdentity: AZURE_IDENTITY, workloads: HELM, ...props });
  const docs = Testing.synth(chart) as K8sObject[];
  const owner = chart.writer.owner as HelmWriterRelease;
  const replicas = chart.writer.replicas as HelmWriterRelease;
  return { chart, docs, owner, replicas, releases: [owner, replicas] };
}

/** The emulated chart's objects of a release (see helm-chart-template.ts). */
const rendered = (release: HelmWriterRelease) => renderChart(release.releaseName, release.namespace, release.chartVersion, release.values as unknown as K8sObject);
const podOf = (release: HelmWriterRelease) => rendered(release).find((d) => d.kind === 'StatefulSet')!.spec.template;
const isSubset = (subset: Record<string, string>, of: Record<string, string>) => Object.entries(subset).every(([k, v]) => of[k] === v);

describe('writer roles as Spice Helm chart values', () => {
  const { chart, docs, owner, replicas, releases } = chartOf({
    pods: {
      imagePullSecrets: ['spice-pull'],
      nodeSelector: { pool: 'spice' },
      tolerations: [{ key: 'spice', operator: 'Equal', value: 'writer', effect: 'NoSchedule' }],
      env: [{ name: 'SPICED_LOG', value: 'INFO' }],
      podLabels: { team: 'shop' },
    },
  });

  it('gives each writer role a release: one snapshot owner, the query replicas', () => {
    expect(releases.map((r) => r instanceof HelmWriterRelease)).toEqual([true, true]);
    expect(releases.map((r) => [r.releaseName, r.values.fullnameOverride, r.values.replicaCount, r.namespace])).toEqual([
      ['shop-writer-owner', 'shop-writer-owner', 1, 'shop'],
      ['shop-writer-replica', 'shop-writer-replica', 2, 'shop'],
    ]);
    expect(owner.values.stateful).toEqual({ enabled: true, storageClass: '', size: chart.synthesized.split.writer.storageSize, mountPath: WRITER_DATA_DIR });
    expect(owner.values.image).toEqual({ repository: 'spiceai/spiceai', tag: '1.11.5' });
    expect(owner.values.imagePullSecrets).toEqual([{ name: 'spice-pull' }]);
    expect(owner.values.serviceAccount).toEqual({ create: false, name: 'shop-writer' });
    expect(owner.values.monitoring).toEqual({ podMonitor: { enabled: false } });
    expect(owner.values.cloudConnect).toEqual({ mode: 'disabled' });
    // The owner never runs two pods: a StatefulSet of one replica, rolled one pod at a time.
    expect(owner.values.updateStrategy).toEqual({ type: 'RollingUpdate' });
  });

  it('renders values valid against the recorded schema of the chart', () => {
    for (const release of releases) expect(helmValuesErrors(release.values), release.releaseName).toEqual([]);
    expect(helmValuesErrors({ ...owner.values, podLabels: { a: 'b' } })).toContainEqual(expect.stringContaining('must NOT have additional properties'));
    expect(helmValuesErrors({ ...owner.values, image: { ...owner.values.image, pullSecrets: ['x'] } }).length).toBeGreaterThan(0);
  });

  it("embeds the core's writer Spicepods, valid against Spice's schema", () => {
    expect(owner.values.spicepod).toEqual(chart.synthesized.writer.snapshotOwner.spicepod);
    expect(replicas.values.spicepod).toEqual(chart.synthesized.writer.queryReplica.spicepod);
    for (const release of releases) expectValidSpicepod(release.values.spicepod);
  });

  it('passes source credentials and the cluster API key as secretKeyRef env only', () => {
    const secretEnv = chart.synthesized.writer.snapshotOwner.secretEnv;
    for (const release of releases) {
      expect(release.values.additionalEnv).toEqual([
        ...secretEnv.map((b) => ({ name: b.envVar, valueFrom: { secretKeyRef: { name: b.secret.secretName, key: b.secret.key } } })),
        { name: 'SPICED_LOG', value: 'INFO' },
      ]);
      const text = JSON.stringify({ ...release.values, additionalEnv: [] });
      // Everything secret in the Spicepod is a placeholder for one of those variables.
      for (const binding of secretEnv) expect(text).toContain(`\${secrets:${binding.envVar}}`);
      expect(text).not.toMatch(/password|api-key/);
    }
  });

  it("labels the pods with the tier, role, identity and user labels, and sets the identity's ServiceAccount", () => {
    expect(owner.values.additionalLabels).toEqual({
      'team': 'shop',
      'read-write-split.io/split': 'shop',
      'read-write-split.io/tier': 'writer',
      'read-write-split.io/role': 'snapshot-owner',
      'azure.workload.identity/use': 'true',
    });
    expect(find(docs, 'ServiceAccount', 'shop-writer').metadata.annotations).toMatchObject({ 'azure.workload.identity/client-id': AZURE_IDENTITY.clientId });
    for (const release of releases) expect(podOf(release).spec.serviceAccountName).toBe('shop-writer');
  });

  it('enforces baseline on the Namespace, and still warns and audits against restricted', () => {
    expect(find(docs, 'Namespace', 'shop').metadata.labels).toEqual({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
  });

  it("keeps the library's Service, PDB and NetworkPolicies, selecting the chart's pods, and renders no writer StatefulSet", async () => {
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Namespace/shop',
      'ServiceAccount/shop-writer',
      'Service/shop-writer',
      'PodDisruptionBudget/shop-writer',
      'ConfigMap/shop-archiver-spicepod',
      'Deployment/shop-archiver',
      'NetworkPolicy/shop-writer',
      'NetworkPolicy/shop-archiver',
    ]);
    await expectValidManifests(docs);
    const service = find(docs, 'Service', 'shop-writer');
    const selectors = [service.spec.selector, find(docs, 'PodDisruptionBudget', 'shop-writer').spec.selector.matchLabels, find(docs, 'NetworkPolicy', 'shop-writer').spec.podSelector.matchLabels];
    for (const release of releases) {
      const pod = podOf(release);
      for (const selector of selectors) {
        expect(isSubset(selector, release.values.additionalLabels as Record<string, string>)).toBe(true);
        expect(isSubset(selector, pod.metadata.labels)).toBe(true);
      }
      // The Service reaches the chart's container ports by number (they are named http/flight there).
      const containerPorts = pod.spec.containers[0].ports.map((p: K8sObject) => p.containerPort);
      for (const port of service.spec.ports) expect(containerPorts).toContain(port.targetPort);
    }
  });

  it("renders, through the chart's templates, valid objects whose pods miss only restricted's seccomp and capabilities", async () => {
    for (const release of releases) {
      const objects = rendered(release);
      await expectValidManifests(objects);
      expect(restrictedViolations(podOf(release).spec)).toEqual(['container spiceai does not drop ALL capabilities', 'container spiceai has no RuntimeDefault seccomp profile']);
    }
  });

  it('spreads writers one per node and over zones, with the user scheduling kept', () => {
    const pod = podOf(owner);
    const selector = { matchLabels: { 'read-write-split.io/split': 'shop', 'read-write-split.io/tier': 'writer' } };
    expect(pod.spec.affinity.podAntiAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: selector, topologyKey: 'kubernetes.io/hostname' }],
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: { labelSelector: selector, topologyKey: 'topology.kubernetes.io/zone' } }],
    });
    expect(pod.spec.nodeSelector).toEqual({ pool: 'spice' });
    expect(pod.spec.tolerations).toEqual([{ key: 'spice', operator: 'Equal', value: 'writer', effect: 'NoSchedule' }]);
  });

  it("scrapes the chart's writer pods by metrics port number (the chart names its port otherwise), the archiver by name", () => {
    const { docs } = chartOf({ observability: {} });
    const monitors = docs.filter((d) => d.kind === 'PodMonitor');
    expect(monitors.find((d) => d.metadata.name.endsWith('writer'))!.spec.podMetricsEndpoints[0]).toMatchObject({ targetPort: 9090, path: '/metrics' });
    expect(monitors.find((d) => d.metadata.name.endsWith('writer'))!.spec.podMetricsEndpoints[0].port).toBeUndefined();
    expect(monitors.find((d) => d.metadata.name.endsWith('archiver'))!.spec.podMetricsEndpoints[0]).toMatchObject({ port: 'spice-metrics' });
  });

  it('probes as the library does: startup and liveness on /health, readiness on /v1/ready', () => {
    expect([owner.values.startupProbe, owner.values.livenessProbe, owner.values.readinessProbe]).toEqual([
      { httpGet: { path: '/health', port: 8090 }, timeoutSeconds: 1, periodSeconds: 5, failureThreshold: 60 },
      { httpGet: { path: '/health', port: 8090 }, timeoutSeconds: 1, periodSeconds: 10, failureThreshold: 3 },
      { httpGet: { path: '/v1/ready', port: 8090 }, timeoutSeconds: 1, periodSeconds: 5, failureThreshold: 3 },
    ]);
  });

  it('keeps every file of the Spicepod on a mounted volume, though the chart mounts it at /app/spicepod.yaml', () => {
    for (const release of releases) {
      const mounts = podOf(release).spec.containers[0].volumeMounts.map((m: K8sObject) => m.mountPath);
      const files = JSON.stringify(release.values.spicepod).match(/"[a-z_]+_file":"[^"]+"/g) ?? [];
      expect(files.length).toBeGreaterThan(0);
      for (const entry of files) {
        const path = entry.split('":"')[1].slice(0, -1);
        expect(mounts.some((m: string) => path.startsWith(`${m}/`)), path).toBe(true);
      }
      expect(mounts).toContain('/app/spicepod.yaml');
    }
  });

  it('writes the values as YAML headed by the helm command', () => {
    const text = owner.valuesYaml;
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(owner.values)));
    expect(text).toContain('#   helm upgrade --install shop-writer-owner spiceai/spiceai --version 2.2.0 -n shop -f shop-writer-owner.values.yaml\n');
    expect(owner.helmCommand('out/x.yaml')).toBe('helm upgrade --install shop-writer-owner spiceai/spiceai --version 2.2.0 -n shop -f out/x.yaml');
  });
});

describe('Helm values from other descriptions', () => {
  it('serves TLS from the mounted certificate and probes over HTTPS', () => {
    const tls = { secretName: 'shop-writer-tls', caCertificate: TEST_FLIGHT_CA };
    const { owner } = chartOf({ flightCertificate: { name: 'spice-ca', kind: 'ClusterIssuer' } }, awsSplit({ store: AZURE_STORE, image: ENTERPRISE_2, writer: { replicas: 3, tls } }));
    expect(owner.values.volumes).toEqual([{ name: 'flight-tls', secret: { secretName: 'shop-writer-tls', defaultMode: 0o440, items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }] } }]);
    expect(owner.values.volumeMounts).toEqual([{ name: 'flight-tls', mountPath: '/etc/spice/tls', readOnly: true }]);
    expect(owner.values.readinessProbe).toMatchObject({ httpGet: { scheme: 'HTTPS' } });
    expect(owner.values.spicepod.runtime?.tls).toMatchObject({ certificate_file: '/etc/spice/tls/tls.crt', key_file: '/etc/spice/tls/tls.key' });
    expect(helmValuesErrors(owner.values)).toEqual([]);
  });

  it('pins a digest in the tag, sets the storage class, and leaves updateStrategy out before chart 2.2.0', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const { owner, releases } = chartOf(
      { workloads: { ...HELM, chartVersion: '2.1.3', releaseNames: { snapshotOwner: 'orders-owner' } }, nodeSpread: 'preferred' },
      awsSplit({ store: AZURE_STORE, image: { ...ENTERPRISE_2, digest }, writer: { replicas: 3, storageClass: 'premium-ssd' } }),
    );
    expect(owner.values.image.tag).toBe(`2.0.1-enterprise@${digest}`);
    expect(owner.values.stateful.storageClass).toBe('premium-ssd');
    expect(releases.map((r) => [r.releaseName, r.values.fullnameOverride])).toEqual([['orders-owner', 'shop-writer-owner'], ['shop-writer-replica', 'shop-writer-replica']]);
    for (const release of releases) expect(release.values).not.toHaveProperty('updateStrategy');
    expect(owner.values.affinity.podAntiAffinity).not.toHaveProperty('requiredDuringSchedulingIgnoredDuringExecution');
    for (const release of releases) expect(helmValuesErrors(release.values)).toEqual([]);
  });

  it("merges the user's affinity with the writers' spread", () => {
    const zoneA = { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-west-1a', 'eu-west-1b'] }] };
    const apart = { weight: 10, podAffinityTerm: { labelSelector: { matchLabels: { app: 'batch' } }, topologyKey: 'kubernetes.io/hostname' } };
    const { owner } = chartOf({ pods: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [zoneA] } }, podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [apart] } } } });
    expect(owner.values.affinity.nodeAffinity).toEqual({ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [zoneA] } });
    const anti = owner.values.affinity.podAntiAffinity as K8sObject;
    expect(anti.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    expect(anti.preferredDuringSchedulingIgnoredDuringExecution.map((t: K8sObject) => t.weight)).toEqual([50, 10]);
    expect(helmValuesErrors(owner.values)).toEqual([]);
  });

  it('renders a single writer as one release, and a partition for the query replicas only', () => {
    const single = chartOf({}, awsSplit({ store: AZURE_STORE, writer: { replicas: 1 } }));
    expect(single.replicas).toBeUndefined();
    const canary = chartOf({ pods: { updateStrategy: { type: 'RollingUpdate', partition: 1 } } });
    expect(canary.owner.values.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(canary.replicas.values.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 1 } });
  });
});

describe('Helm workloads that cannot be rendered', () => {
  const problems = (props: Partial<ReadWriteSplitChartProps>) => thrown(() => chartOf(props)).problems.map(formatProblem);

  it('lists every problem at once', () => {
    expect(problems({
      workloads: { type: 'helm', chartVersion: 'latest', podSecurity: 'restricted' as 'baseline', releaseNames: { snapshotOwner: 'Owner!', queryReplica: 'x'.repeat(54) } },
      pods: { podAnnotations: { 'sidecar.istio.io/inject': 'false' }, priorityClassName: 'spice-critical', podLabels: { 'app.kubernetes.io/name': 'spice', 'team': 'data' } },
    })).toEqual([
      `props.workloads.chartVersion: "latest" is not a chart version; give the Spice chart's SemVer version you install, e.g. '2.2.0'`,
      `props.workloads.podSecurity: "restricted" is not what the chart's pods meet: its securityContext has no seccomp profile and drops no capabilities; set podSecurity: 'baseline' (the Namespace then enforces baseline), or use type 'statefulsets' for the restricted standard`,
      `props.workloads.releaseNames.snapshotOwner: "Owner!" is not a Helm release name; use at most 53 lowercase letters, digits and '-', starting and ending with a letter or digit`,
      `props.workloads.releaseNames.queryReplica: "${'x'.repeat(54)}" is not a Helm release name; use at most 53 lowercase letters, digits and '-', starting and ending with a letter or digit`,
      `props.pods.podAnnotations: is not rendered with workloads type 'helm': the chart has no pod-annotation value; remove it, or use workloads type 'statefulsets'`,
      `props.pods.priorityClassName: is not rendered with workloads type 'helm': the chart has no priorityClassName value; remove it, or use workloads type 'statefulsets'`,
      `props.pods.podLabels.app.kubernetes.io/name: is a label the chart sets itself (its selector and template would carry it twice, and helm install fails); use another key, e.g. 'example.com/team'`,
    ]);
  });

  it('says what is missing, and names a misspelt option or one of another kind of writers (from JavaScript or a file, TypeScript aside)', () => {
    expect(problems({ workloads: { type: 'helm', chartversion: '2.2.0' } as never })).toEqual([
      "props.workloads.chartversion: is not an option of \"helm\" writers; did you mean 'chartVersion'?",
      "props.workloads.chartVersion: is missing: the values are written for the chart's version; give the Spice chart's SemVer version you install, e.g. '2.2.0'",
      "props.workloads.podSecurity: is missing: the Namespace must enforce what the chart's pods meet, and their securityContext has no seccomp profile and drops no capabilities; set podSecurity: 'baseline' (the Namespace then enforces baseline), or use type 'statefulsets' for the restricted standard",
    ]);
    // A Helm option given to the operator's writers would leave the Namespace at restricted, silently.
    expect(problems({ workloads: { type: 'spicepodset', podSecurity: 'baseline', chartVersion: '2.2.0' } as never }).slice(0, 2)).toEqual([
      "props.workloads.podSecurity: is not an option of \"spicepodset\" writers; use one of 'updateStrategy', 'ownerUpdateStrategy', 'crdFile', 'kubernetesVersion'",
      "props.workloads.chartVersion: is not an option of \"spicepodset\" writers; use one of 'updateStrategy', 'ownerUpdateStrategy', 'crdFile', 'kubernetesVersion'",
    ]);
    expect(problems({ workloads: { type: 'statefulsets', chartVersion: '2.2.0' } as never })).toEqual([
      'props.workloads.chartVersion: is not an option of "statefulsets" writers; remove it: they take no options',
    ]);
    // A conditional spread's key left undefined sets nothing.
    expect(() => chartOf({ workloads: { type: 'statefulsets', chartVersion: undefined } as never })).not.toThrow();
  });

  it('refuses charts older than 2.1.0, and pods.updateStrategy before 2.2.0', () => {
    expect(problems({ workloads: { ...HELM, chartVersion: '2.0.5' } })).toEqual([
      'props.workloads.chartVersion: "2.0.5" is older than chart 2.1.0, whose probes are values (older charts hard-code them); use chart 2.1.0 or later (2.2.0+ to render updateStrategy)',
    ]);
    expect(problems({ workloads: { ...HELM, chartVersion: '2.2.0-rc.1' }, pods: { updateStrategy: { type: 'OnDelete' } } })).toEqual([
      'props.pods.updateStrategy: is not rendered: chart 2.2.0-rc.1 has no updateStrategy value; use workloads.chartVersion 2.2.0 or later, or remove it',
    ]);
    expect(problems({ workloads: { ...HELM, releaseNames: { snapshotOwner: 'writers', queryReplica: 'writers' } } })).toEqual([
      `props.workloads.releaseNames.queryReplica: "writers" is also the snapshot owner's release; give each writer role its own release`,
    ]);
  });

  it("refuses a release name that is the other role's default: one release would hold both roles, and the second install removes the snapshot owner", () => {
    expect(problems({ workloads: { ...HELM, releaseNames: { snapshotOwner: 'shop-writer-replica' } } })).toEqual([
      `props.workloads.releaseNames.snapshotOwner: "shop-writer-replica" is also the query replicas' release; give each writer role its own release`,
    ]);
    expect(problems({ workloads: { ...HELM, releaseNames: { queryReplica: 'shop-writer-owner' } } })).toEqual([
      `props.workloads.releaseNames.queryReplica: "shop-writer-owner" is also the snapshot owner's release; give each writer role its own release`,
    ]);
  });
});
