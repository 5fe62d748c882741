import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { Testing } from 'cdk8s';
import { parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it, vi } from 'vitest';
import { SplitSpec, synthesizeSplit } from '../../lib';
import { formatProblem } from '../../lib/core/errors';
import { ReadWriteSplitChart, ReadWriteSplitChartProps, WARNING_METADATA } from '../../lib/k8s';
import { structuralToJsonSchema } from '../../lib/k8s/spicepod-set-crd';
import { thrown } from '../support/errors';
import { TEST_FLIGHT_CA } from '../support/flight-ca';
import { expectValidManifests, find, K8sObject, WRITER_IRSA } from '../support/k8s';
import { expectValidSpicepod } from '../support/spicepod-schema';
import { awsSplit, ENTERPRISE_2 } from '../support/splits';

const FIXTURES = join(__dirname, '..', 'fixtures', 'operator');
const CRD = join(FIXTURES, 'spicepodset-crd.yaml');
const OLDER_CRD = join(FIXTURES, 'spicepodset-crd-older.yaml');
const SCHEMA = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schemas', 'spicepodset-v2.schema.json'), 'utf8'));
const validateDocumented = new Ajv({ allErrors: true, strict: true }).compile(SCHEMA);

/** The fields the library renders in `spec` (issue #16): a subset of the documented ones. */
// The list, spiced's three ports and the grace period (documented too: `http.port`, `flight.port`,
// `metrics.port`, `terminationGracePeriodSeconds`).
const RENDERED_FIELDS = [
  'replicas', 'spicepod', 'image', 'http', 'flight', 'metrics', 'volumeClaimTemplates', 'serviceAccount', 'env', 'resources', 'updateStrategy', 'probes',
  'terminationGracePeriodSeconds', 'tolerations', 'nodeAffinity', 'labels', 'annotations',
];

const shop = (overrides: Partial<SplitSpec> = {}): SplitSpec => awsSplit({ image: ENTERPRISE_2, writer: { replicas: 3, storageClass: 'gp3', storageSize: '40Gi' }, ...overrides });

type Props = Partial<ReadWriteSplitChartProps>;

function chartOf(props: Props = {}, split: SplitSpec = shop()): ReadWriteSplitChart {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  return new ReadWriteSplitChart(Testing.app(), 'shop', { split, writerIdentity: WRITER_IRSA, workloads: { type: 'spicepodset' }, ...props });
}

const synth = (props: Props = {}, split?: SplitSpec) => Testing.synth(chartOf(props, split)) as K8sObject[];
const problems = (props: Props, split?: SplitSpec) => thrown(() => chartOf(props, split)).problems.map(formatProblem);
const sets = (docs: readonly K8sObject[]) => docs.filter((d) => d.kind === 'SpicepodSet');

function expectDocumented(doc: K8sObject): void {
  const valid: boolean = validateDocumented(doc);
  if (!valid) throw new Error(`${doc.metadata.name}: ${JSON.stringify(validateDocumented.errors, null, 2)}`);
}

describe('writer roles as SpicepodSets', () => {
  it('renders one SpicepodSet per role instead of the StatefulSets, and keeps the library’s Service, budget and policies', async () => {
    const docs = synth();
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Namespace/shop',
      'ServiceAccount/shop-writer',
      'SpicepodSet/shop-writer-owner',
      'SpicepodSet/shop-writer-replica',
      'Service/shop-writer',
      'PodDisruptionBudget/shop-writer',
      'ConfigMap/shop-archiver-spicepod',
      'Deployment/shop-archiver',
      'NetworkPolicy/shop-writer',
      'NetworkPolicy/shop-archiver',
    ]);
    expect(docs.some((d) => d.kind === 'StatefulSet')).toBe(false);
    await expectValidManifests(docs.filter((d) => d.kind !== 'SpicepodSet'));
  });

  it('renders the documented fields only, every object valid against the schema of the documented fields', () => {
    const docs = synth({ pods: { tolerations: [{ key: 'spice', operator: 'Exists' }], nodeSelector: { pool: 'spice' }, podAnnotations: { team: 'data' } } });
    expect(sets(docs)).toHaveLength(2);
    for (const set of sets(docs)) {
      expect(set.apiVersion).toBe('spice.ai/v2');
      expect(Object.keys(set.spec).filter((key) => !RENDERED_FIELDS.includes(key))).toEqual([]);
      expectDocumented(set);
    }
  });

  it("pins spiced's ports, which the library's Service, NetworkPolicies and PodMonitor reach by number", () => {
    for (const set of sets(synth())) expect([set.spec.http, set.spec.flight, set.spec.metrics]).toEqual([{ port: 8090 }, { port: 50051 }, { port: 9090 }]);
  });

  it('gives the snapshot owner one replica that rolls in order, and the query replicas the rest', () => {
    const docs = synth();
    const owner = find(docs, 'SpicepodSet', 'shop-writer-owner');
    const replicas = find(docs, 'SpicepodSet', 'shop-writer-replica');
    expect(owner.spec.replicas).toBe(1);
    expect(owner.spec.updateStrategy).toEqual({ type: 'RollingOrdered' });
    expect(replicas.spec.replicas).toBe(2);
    expect(replicas.spec.updateStrategy).toEqual({ type: 'RollingOrdered' });
    expect(owner.metadata.labels).toEqual({ 'read-write-split.io/split': 'shop', 'read-write-split.io/tier': 'writer', 'read-write-split.io/role': 'snapshot-owner' });
  });

  it('maps image, volume, ServiceAccount, sizing and probes as the StatefulSet does', () => {
    const owner = find(synth({ pods: { imagePullSecrets: ['spice-pull'] } }), 'SpicepodSet', 'shop-writer-owner');
    expect(owner.spec.image).toEqual({ repository: 'example.com/spiceai-enterprise', tag: '2.0.1-enterprise', pullPolicy: 'IfNotPresent', pullSecret: 'spice-pull' });
    expect(owner.spec.volumeClaimTemplates).toEqual([
      { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '40Gi' } } } },
    ]);
    expect(owner.spec.serviceAccount).toEqual({ enabled: true, create: false, name: 'shop-writer' });
    expect(owner.spec.resources).toEqual(expect.objectContaining({ requests: expect.any(Object), limits: expect.any(Object) }));
    expect(owner.spec.probes).toEqual({ liveness: { periodSeconds: 10, failureThreshold: 3 }, readiness: { periodSeconds: 5, failureThreshold: 3 } });
    // The library's StatefulSets' grace period, not Kubernetes' 30s.
    const statefulSet = find(Testing.synth(new ReadWriteSplitChart(Testing.app(), 'shop', { split: shop(), writerIdentity: WRITER_IRSA })) as K8sObject[], 'StatefulSet', 'shop-writer-owner');
    expect(owner.spec.terminationGracePeriodSeconds).toBe(statefulSet.spec.template.spec.terminationGracePeriodSeconds);
    expect(owner.spec.terminationGracePeriodSeconds).toBe(60);
    // The writer Spicepod keeps its acceleration files where the operator mounts the `data` claim.
    const files = owner.spec.spicepod.datasets.flatMap((d: K8sObject) => Object.values(d.acceleration?.params ?? {}));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file).toMatch(/^\/data\//);
  });

  it('embeds exactly the core’s writer Spicepods, valid against Spice’s schema', () => {
    const docs = synth();
    const core = synthesizeSplit(shop());
    expect(find(docs, 'SpicepodSet', 'shop-writer-owner').spec.spicepod).toEqual(core.writer.snapshotOwner.spicepod);
    expect(find(docs, 'SpicepodSet', 'shop-writer-replica').spec.spicepod).toEqual(core.writer.queryReplica.spicepod);
    for (const set of sets(docs)) expectValidSpicepod(set.spec.spicepod);
  });

  it('holds no source credential: secrets are env secretKeyRefs behind ${secrets:} placeholders', () => {
    for (const set of sets(synth())) {
      const env: K8sObject[] = set.spec.env;
      for (const variable of env) expect(Object.keys(variable.valueFrom ?? {})).toEqual(['secretKeyRef']);
      expect(env.map((v) => v.name)).toEqual(expect.arrayContaining(['SPICE_CLUSTER_API_KEY']));
      expect(env.find((v) => v.valueFrom.secretKeyRef.name === 'shop-db')).toBeDefined();
      const pod = set.spec.spicepod;
      for (const dataset of pod.datasets) {
        for (const [key, value] of Object.entries(dataset.params ?? {})) {
          if (/pass|secret|key/.test(key)) expect(value).toMatch(/^\$\{secrets:[A-Z0-9_]+\}$/);
        }
      }
      const placeholders = [...JSON.stringify(pod).matchAll(/\$\{secrets:([A-Z0-9_]+)\}/g)].map((m) => m[1]);
      for (const name of placeholders) expect(env.map((v) => v.name)).toContain(name);
    }
  });

  it('labels the pods so the library’s Service, budget and policies select them, with the identity’s pod labels', () => {
    const split: SplitSpec = {
      ...shop(),
      store: { cloud: 'azure', account: 'shopsnapshots', container: 'snapshots', region: 'westeurope' },
      datasets: [{ name: 'models', from: 's3://reference-data/models/', params: { file_format: 'parquet', s3_region: 'us-east-1', s3_auth: 'public' } }],
    };
    const docs = synth({ writerIdentity: { type: 'azure-workload-identity', clientId: '00000000-0000-0000-0000-000000000001' }, pods: { podLabels: { team: 'data' } } }, split);
    const owner = find(docs, 'SpicepodSet', 'shop-writer-owner');
    expect(owner.spec.labels).toEqual({
      'team': 'data',
      'read-write-split.io/split': 'shop',
      'read-write-split.io/tier': 'writer',
      'read-write-split.io/role': 'snapshot-owner',
      'azure.workload.identity/use': 'true',
    });
    expect(find(docs, 'ServiceAccount', 'shop-writer').metadata.annotations).toEqual({ 'azure.workload.identity/client-id': '00000000-0000-0000-0000-000000000001' });
    const selectors = [
      find(docs, 'Service', 'shop-writer').spec.selector,
      find(docs, 'PodDisruptionBudget', 'shop-writer').spec.selector.matchLabels,
      find(docs, 'NetworkPolicy', 'shop-writer').spec.podSelector.matchLabels,
    ];
    for (const set of sets(docs)) for (const selector of selectors) expect(set.spec.labels).toEqual(expect.objectContaining(selector));
    // The operator's pods name their ports as it likes: the library's Service reaches them by number.
    expect(find(docs, 'Service', 'shop-writer').spec.ports.map((p: K8sObject) => [p.port, p.targetPort])).toEqual([[50051, 50051], [8090, 8090]]);
  });

  it('maps placement: nodeSelector joins every nodeAffinity term; tolerations and annotations as given', () => {
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] }] } } };
    const owner = find(synth({ pods: { nodeSelector: { pool: 'spice' }, affinity, tolerations: [{ key: 'spice', operator: 'Equal', value: 'writer', effect: 'NoSchedule' }], podAnnotations: { team: 'data' } } }), 'SpicepodSet', 'shop-writer-owner');
    expect(owner.spec.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }, { key: 'pool', operator: 'In', values: ['spice'] }] },
    ]);
    expect(owner.spec.tolerations).toEqual([{ key: 'spice', operator: 'Equal', value: 'writer', effect: 'NoSchedule' }]);
    expect(owner.spec.annotations).toEqual({ team: 'data' });
  });

  it('lets the query replicas roll BlueGreen or in parallel, never the snapshot owner', () => {
    const blueGreen = synth({ workloads: { type: 'spicepodset', updateStrategy: { type: 'BlueGreen' } } });
    expect(find(blueGreen, 'SpicepodSet', 'shop-writer-replica').spec.updateStrategy).toEqual({ type: 'BlueGreen' });
    expect(find(blueGreen, 'SpicepodSet', 'shop-writer-owner').spec.updateStrategy).toEqual({ type: 'RollingOrdered' });
    const parallel = synth({ workloads: { type: 'spicepodset', updateStrategy: { type: 'RollingParallel', maxUnavailable: 1 } } });
    expect(find(parallel, 'SpicepodSet', 'shop-writer-replica').spec.updateStrategy).toEqual({ type: 'RollingParallel', maxUnavailable: 1 });
    for (const set of [...sets(blueGreen), ...sets(parallel)]) expectDocumented(set);
  });

  it('refuses BlueGreen (and RollingParallel) for the snapshot owner, with the reason', () => {
    const [blueGreen] = problems({ workloads: { type: 'spicepodset', ownerUpdateStrategy: { type: 'BlueGreen' } } });
    expect(blueGreen).toMatch(/^props\.workloads\.ownerUpdateStrategy\.type: "BlueGreen" would run the old and the new snapshot owner side by side/);
    expect(blueGreen).toContain('two uploaders to one snapshot location');
    expect(blueGreen).toContain('new, empty volumes');
    const [parallel] = problems({ workloads: { type: 'spicepodset', ownerUpdateStrategy: { type: 'RollingParallel' } } });
    expect(parallel).toContain('two uploaders');
    expect(() => synth({ workloads: { type: 'spicepodset', ownerUpdateStrategy: { type: 'RollingOrdered' } } })).not.toThrow();
  });

  it('refuses a standby generation and a StatefulSet update strategy', () => {
    const found = problems({ workloads: { type: 'spicepodset', standbyVersion: { enabled: true } } as never, pods: { updateStrategy: { type: 'OnDelete' } } });
    expect(found).toEqual([
      expect.stringMatching(/^props\.workloads\.standbyVersion: is not rendered: a standby generation keeps running beside the new one/),
      expect.stringMatching(/^props\.pods\.updateStrategy: is a StatefulSet update strategy/),
    ]);
  });

  it('keeps readers on the library’s Service: the operator’s per-role Service is refused as their endpoint', () => {
    for (const endpoint of ['http://shop-writer-replica.shop.svc.cluster.local:50051', 'http://spicepod-shop-writer-owner.shop:50051']) {
      const [problem] = problems({}, shop({ writer: { replicas: 3, flightEndpoint: endpoint } }));
      expect(problem).toContain(`props.workloads.type: readers would dial "${endpoint}", the operator's own Service of one writer role`);
      expect(problem).toContain('leave split.writer.flightEndpoint out: readers then dial "http://shop-writer.shop.svc.cluster.local:50051"');
    }
    // The default, and an endpoint of the user's own (a gateway), stay.
    expect(() => synth({}, shop({ writer: { replicas: 3, flightEndpoint: 'https://spice-gateway.example.com:443' } }))).not.toThrow();
  });

  it('with a single writer, renders the owner alone and refuses a query-replica strategy', () => {
    const split = shop({ writer: { replicas: 1 } });
    expect(sets(synth({}, split)).map((s) => s.metadata.name)).toEqual(['shop-writer-owner']);
    expect(problems({ workloads: { type: 'spicepodset', updateStrategy: { type: 'BlueGreen' } } }, split)).toEqual([
      expect.stringMatching(/^props\.workloads\.updateStrategy: sets the query replicas' rollout, but the split has a single writer/),
    ]);
  });

  it('warns that nodeSpread cannot be applied, of the owner\'s rollout and of the restricted Namespace, until acknowledged', () => {
    const warned = (chart: ReadWriteSplitChart) => chart.node.metadata.filter((entry) => entry.type === WARNING_METADATA).map((entry) => entry.data.id).filter((id: string) => id.startsWith('spicepodset-'));
    expect(warned(chartOf()).sort()).toEqual(['spicepodset-node-spread', 'spicepodset-owner-rollout', 'spicepodset-pod-security']);
    const acknowledged = chartOf({}, shop({ acknowledgedWarnings: ['spicepodset-node-spread', 'spicepodset-owner-rollout', 'spicepodset-pod-security'] }));
    expect(warned(acknowledged)).toEqual([]);
    // A Namespace of the user's own enforces what they chose.
    expect(warned(chartOf({ createNamespace: false }))).not.toContain('spicepodset-pod-security');
  });

  it('validates every rendered object against a given CRD file', () => {
    const docs = synth({ workloads: { type: 'spicepodset', crdFile: CRD, updateStrategy: { type: 'BlueGreen' }, kubernetesVersion: 'v1.33.1' } });
    expect(sets(docs)).toHaveLength(2);
  });

  it('accepts a CRD whose root lists only spec and status, as kube-rs generates them: the API server admits apiVersion, kind and metadata anyway', () => {
    const crd = parseAllDocuments(readFileSync(CRD, 'utf8')).map((doc) => doc.toJS()).find((doc) => doc?.kind === 'CustomResourceDefinition');
    const root = crd.spec.versions.find((version: { name: string }) => version.name === 'v2').schema.openAPIV3Schema;
    for (const key of ['apiVersion', 'kind', 'metadata']) delete root.properties[key];
    const file = join(mkdtempSync(join(tmpdir(), 'crd-')), 'spicepodset-crd.yaml');
    writeFileSync(file, stringify(crd));
    const docs = synth({ workloads: { type: 'spicepodset', crdFile: file, updateStrategy: { type: 'BlueGreen' }, kubernetesVersion: 'v1.33.1' } });
    expect(sets(docs)).toHaveLength(2);
  });

  it("refuses objects an older CRD does not describe, every mismatch of both roles named at once", () => {
    const error = thrown(() => chartOf({ workloads: { type: 'spicepodset', crdFile: OLDER_CRD, updateStrategy: { type: 'BlueGreen' } } }));
    expect(error.where).toBe('shop/Writer');
    const lines = error.problems.map(formatProblem);
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^props\.workloads\.crdFile: SpicepodSet "shop-writer-owner" does not match the CRD in ".*spicepodset-crd-older\.yaml": \/spec must NOT have additional properties \("volumeClaimTemplates"\)/),
      expect.stringMatching(/\/spec must NOT have additional properties \("probes"\)/),
      // The query replicas' SpicepodSet, in the same error: BlueGreen is not among the older CRD's strategies.
      expect.stringMatching(/^props\.workloads\.crdFile: SpicepodSet "shop-writer-replica" does not match the CRD .*\/spec\/updateStrategy\/type must be equal to one of the allowed values \("RollingOrdered", "RollingParallel"\)/),
    ]));
  });

  it('turns an OpenAPI structural schema into a JSON Schema with the API server’s semantics', () => {
    const schema = structuralToJsonSchema({
      type: 'object',
      properties: {
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } },
        port: { 'x-kubernetes-int-or-string': true },
        name: { type: 'string', nullable: true },
      },
    });
    const validate = new Ajv({ strict: false }).compile(schema as object);
    expect(validate({ free: { b: 1 }, port: 'http', name: null })).toBe(true);
    expect(validate({ port: 8080 })).toBe(true);
    expect(validate({ other: 1 })).toBe(false);
    expect(validate({ port: true })).toBe(false);
  });

  it('reports every problem at once, the CRD file’s among them', () => {
    const found = problems(
      {
        workloads: { type: 'spicepodset', ownerUpdateStrategy: { type: 'BlueGreen' }, updateStrategy: { type: 'RollingParallel', maxUnavailable: 0 }, kubernetesVersion: '1.32', crdFile: join(FIXTURES, 'missing.yaml') },
        pods: { priorityClassName: 'spice-critical', imagePullSecrets: ['a', 'b'], affinity: { podAntiAffinity: {} }, podLabels: { 'spice.ai/app': 'x' } },
      },
      shop({ image: { ...ENTERPRISE_2, digest: `sha256:${'a'.repeat(64)}` }, writer: { replicas: 3, flightEndpoint: 'http://shop-writer-replica.shop.svc.cluster.local:50051' } }),
    );
    expect(found.map((line) => line.split(':')[0])).toEqual([
      'props.workloads.updateStrategy.maxUnavailable',
      'props.workloads.ownerUpdateStrategy.type',
      'props.workloads.kubernetesVersion',
      'props.workloads.crdFile',
      'props.workloads.type',
      'props.workloads.type',
      'props.pods.priorityClassName',
      'props.pods.imagePullSecrets',
      'props.pods.affinity.podAntiAffinity',
      'props.pods.podLabels["spice.ai/app"]',
    ]);
    expect(found[2]).toContain('older than the operator supports (Kubernetes 1.33+)');
    expect(found[3]).toContain('cannot be read (ENOENT)');
  });

  it('refuses writer TLS: the SpicepodSet cannot mount the certificate', () => {
    const split = shop({ writer: { replicas: 3, tls: { secretName: 'shop-writer-tls', caCertificate: TEST_FLIGHT_CA } } });
    expect(problems({}, split)).toEqual([expect.stringMatching(/^props\.workloads\.type: 'spicepodset' cannot serve the split's writer\.tls/)]);
  });
});
