import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import type { SplitSpec } from '../../lib';
import { accessPlan, gcsPrefixCondition, readerDiskBytes, renderReaderSpicepod, spicepodToYaml, storedSplit, synthesizeSplit } from '../../lib/core';
import { ReadWriteSplitGcp, SpiceReaderCloudRun, SpiceReaderCloudRunArgs } from '../../lib/gcp';
import { catalog } from '../../examples/splits/catalog';
import { componentProblems } from '../support/errors';
import { derivedSplit } from '../support/example-splits';
import { TEST_FLIGHT_CA } from '../support/flight-ca';
import { expectValidSpicepod } from '../support/spicepod-schema';
import { installMocks, registeredSince, Registered, valueOf } from './support';

installMocks();

const CLUSTER = { region: 'europe-west4', project: 'acme-catalog', projectNumber: '123456789012' };
const APP = { image: 'europe-docker.pkg.dev/acme-catalog/web/storefront:1.4', ports: { containerPort: 8080 } };
/** Catalog with the writers behind an internal load balancer, over TLS: a reader off the cluster can delegate. */
const BEHIND_BALANCER = derivedSplit(catalog, {
  writer: { flightEndpoint: 'https://catalog-writers.internal.acme.example:50051', tls: { secretName: 'catalog-writer-tls', caCertificate: TEST_FLIGHT_CA } },
});
/** The split's image is in a private ECR registry: Cloud Run pulls a copy from Artifact Registry. */
const MIRROR = 'europe-west4-docker.pkg.dev/acme-catalog/spice/spiceai-enterprise-byol';
const API_KEY = { secret: 'catalog-cluster-api-key', version: '3' };
const VPC = { networkInterfaces: [{ network: 'default', subnetwork: 'run-egress' }], egress: 'PRIVATE_RANGES_ONLY' };
const SERVICE = 'gcp:cloudrunv2/service:Service';
const SOURCE_SECRETS = ['catalog-exports-hmac', 'catalog-db', 's3_key', 's3_secret', 'mysql_pass', 'access-id', 'password'];

/** The split's component, registered and set aside: the tests look at what the reader registers. */
async function splitOf(spec: SplitSpec = catalog): Promise<ReadWriteSplitGcp> {
  const split = new ReadWriteSplitGcp('catalog', { split: spec, cluster: CLUSTER, privateGoogleAccessManagedElsewhere: true });
  await registeredSince();
  return split;
}

async function deploy(args: Partial<SpiceReaderCloudRunArgs> = {}, spec: SplitSpec = catalog) {
  const split = await splitOf(spec);
  const reader = new SpiceReaderCloudRun('storefront', { split, project: 'acme-catalog', location: 'europe-west4', app: APP, imageRepository: MIRROR, datasets: ['products'], ...args });
  const resources = await registeredSince();
  return { split, reader, resources };
}

const ofType = (resources: Registered[], type: string) => resources.filter((r) => r.type === type);
const serviceOf = (resources: Registered[]) => ofType(resources, SERVICE)[0].inputs;
const containerOf = (resources: Registered[], name: string) => serviceOf(resources).template.containers.find((c: { name: string }) => c.name === name);
const sorted = <T>(items: T[]): T[] => [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
/** A secret input as the mocks see it: `{ <secret sig>: ..., value }`. */
const unwrapped = (value: any): unknown => (value && typeof value === 'object' && 'value' in value ? value.value : value);
const EMAIL = /^storefront-[0-9a-f]{6}@acme-catalog\.iam\.gserviceaccount\.com$/;

describe('SpiceReaderCloudRun beside an application', () => {
  it('registers the service account, its grants, the Spicepod secret and the service', async () => {
    const { resources } = await deploy();
    expect(sorted(resources.map((r) => [r.type, r.name]))).toEqual(sorted([
      ['read-write-split:index:SpiceReaderCloudRun', 'storefront'],
      ['gcp:serviceaccount/account:Account', 'storefront-reader'],
      ['gcp:storage/bucketIAMMember:BucketIAMMember', 'storefront-snapshots'],
      ['gcp:secretmanager/secret:Secret', 'storefront-spicepod'],
      ['gcp:secretmanager/secretVersion:SecretVersion', 'storefront-spicepod'],
      ['gcp:secretmanager/secretIamMember:SecretIamMember', 'storefront-spicepod'],
      [SERVICE, 'storefront-service'],
    ]));
    const [account] = ofType(resources, 'gcp:serviceaccount/account:Account');
    expect(account.inputs).toMatchObject({ project: 'acme-catalog', accountId: expect.stringMatching(/^storefront-[0-9a-f]{6}$/) });
  });

  it('runs the application as the ingress container, started once the reader is ready', async () => {
    const { resources } = await deploy({ app: { ...APP, dependsOns: ['cloud-sql-proxy'] } });
    const service = serviceOf(resources);
    expect(service).toMatchObject({ name: 'storefront', project: 'acme-catalog', location: 'europe-west4', ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY' });
    expect(service.template.containers.map((c: { name: string }) => c.name)).toEqual(['app', 'spice-reader']);
    expect(containerOf(resources, 'app')).toEqual({ ...APP, name: 'app', dependsOns: ['cloud-sql-proxy', 'spice-reader'] });
    expect(containerOf(resources, 'spice-reader').ports).toBeUndefined();
    expect(service.template).toMatchObject({ executionEnvironment: 'EXECUTION_ENVIRONMENT_GEN2', scaling: { minInstanceCount: 1 } });
    expect(service.template.vpcAccess).toBeUndefined();
  });

  it("runs the core's spiced, listening on the instance so Cloud Run can probe it, and probes /v1/ready within Cloud Run's 240 s", async () => {
    const { resources } = await deploy();
    const reader = containerOf(resources, 'spice-reader');
    expect(reader).toMatchObject({
      image: `${MIRROR}:2.0.1-enterprise`,
      commands: ['/usr/local/bin/spiced'],
      args: ['--http', '0.0.0.0:8090', '--flight', '127.0.0.1:50051', '--metrics', '127.0.0.1:9090', '/spicepod/spicepod.yaml'],
      workingDir: '/app',
      envs: [{ name: 'HOME', value: '/app' }],
      startupProbe: { httpGet: { path: '/v1/ready', port: 8090 }, periodSeconds: 10, failureThreshold: 24, timeoutSeconds: 5 },
      livenessProbe: { httpGet: { path: '/health', port: 8090 }, periodSeconds: 10, failureThreshold: 3 },
    });
    expect(reader.startupProbe.periodSeconds * reader.startupProbe.failureThreshold).toBeLessThanOrEqual(240);
  });

  it('raises the reader\'s memory to what Cloud Run requires for its vCPU: 4 GiB at 6 vCPU', async () => {
    const big = derivedSplit(BEHIND_BALANCER, { reader: { ...BEHIND_BALANCER.reader, resources: { cpu: { request: '1', limit: '6' }, memory: { request: '1Gi', limit: '1Gi' } } } });
    const { resources, reader } = await deploy({ datasets: ['reviews'], clusterApiKey: API_KEY, vpcAccess: VPC }, big);
    // 1 GiB and its in-memory volumes make less than the 4 GiB that 6 vCPU need.
    expect(2 ** 30 + readerDiskBytes(reader.instance)).toBeLessThan(4 * 2 ** 30);
    expect(containerOf(resources, 'spice-reader').resources.limits).toEqual({ cpu: '6', memory: '4096Mi' });
  });

  it('writes to in-memory volumes and raises the reader\'s memory limit by their sizes (and its vCPU to what that memory needs)', async () => {
    const { resources, reader } = await deploy();
    const service = serviceOf(resources);
    const emptyDirs = service.template.volumes.filter((v: { emptyDir?: unknown }) => v.emptyDir);
    expect(emptyDirs).toEqual([
      { name: 'spice-reader-local', emptyDir: { medium: 'MEMORY', sizeLimit: '10240Mi' } },
      { name: 'spice-reader-home', emptyDir: { medium: 'MEMORY', sizeLimit: '256Mi' } },
      { name: 'spice-reader-tmp', emptyDir: { medium: 'MEMORY', sizeLimit: '1024Mi' } },
    ]);
    expect(readerDiskBytes(reader.instance)).toBe((10240 + 256 + 1024) * 2 ** 20);
    const container = containerOf(resources, 'spice-reader');
    // The split's reader limit (4Gi) plus 11.25 GiB of volumes; more than 8 GiB needs 4 vCPU on Cloud Run.
    expect(container.resources).toEqual({ limits: { cpu: '4', memory: `${4096 + 10240 + 256 + 1024}Mi` }, cpuIdle: false, startupCpuBoost: true });
    expect(container.volumeMounts).toEqual([
      { name: 'spice-reader-spicepod', mountPath: '/spicepod' },
      { name: 'spice-reader-local', mountPath: '/local' },
      { name: 'spice-reader-home', mountPath: '/app' },
      { name: 'spice-reader-tmp', mountPath: '/tmp' },
    ]);
  });

  it("mounts the core's reader Spicepod from Secret Manager, a valid Spicepod, pinned to its version", async () => {
    const { resources } = await deploy();
    const expected = spicepodToYaml(renderReaderSpicepod(synthesizeSplit(catalog).split, { datasets: ['products'] }).spicepod);
    const [version] = ofType(resources, 'gcp:secretmanager/secretVersion:SecretVersion');
    expect({ ...version.inputs, secretData: unwrapped(version.inputs.secretData) }).toEqual({ secret: 'projects/acme-catalog/secrets/storefront-europe-west4-spicepod', secretData: expected });
    expectValidSpicepod(parse(expected));
    const [secret] = ofType(resources, 'gcp:secretmanager/secret:Secret');
    expect(secret.inputs).toMatchObject({ secretId: 'storefront-europe-west4-spicepod', project: 'acme-catalog', replication: { userManaged: { replicas: [{ location: 'europe-west4' }] } } });
    expect(serviceOf(resources).template.volumes[0]).toEqual({
      name: 'spice-reader-spicepod',
      secret: { secret: 'storefront-europe-west4-spicepod', items: [{ path: 'spicepod.yaml', version: '1' }] },
    });
  });

  it("grants the revision's account the GKE readers' role and condition on the bucket, and the Spicepod secret only", async () => {
    const { resources, reader } = await deploy();
    const email = await valueOf(reader.serviceAccountEmail);
    expect(email).toMatch(EMAIL);
    expect(serviceOf(resources).template.serviceAccount).toBe(email);
    const split = synthesizeSplit(catalog).split;
    const [grant] = ofType(resources, 'gcp:storage/bucketIAMMember:BucketIAMMember');
    expect(grant.inputs).toEqual({
      bucket: 'acme-catalog-snapshots',
      role: 'roles/storage.objectViewer',
      member: `serviceAccount:${email}`,
      condition: { ...gcsPrefixCondition('acme-catalog-snapshots', accessPlan(storedSplit(split, 'the test')).reader[0]) },
    });
    expect(grant.inputs.condition.expression).toContain('catalog/refresh/');
    expect(ofType(resources, 'gcp:secretmanager/secretIamMember:SecretIamMember').map((r) => r.inputs)).toEqual([
      { secretId: 'storefront-europe-west4-spicepod', project: 'acme-catalog', role: 'roles/secretmanager.secretAccessor', member: `serviceAccount:${email}` },
    ]);
  });

  it('holds no source credential anywhere', async () => {
    const { resources } = await deploy();
    const text = JSON.stringify(resources.map((r) => r.inputs));
    for (const word of SOURCE_SECRETS) expect(text).not.toContain(word);
    expect(containerOf(resources, 'spice-reader').envs.map((e: { name: string }) => e.name)).toEqual(['HOME']);
  });

  it('runs as a given service account, without creating one', async () => {
    const email = 'storefront@acme-catalog.iam.gserviceaccount.com';
    const { resources } = await deploy({ serviceAccountEmail: email, serviceName: 'storefront-eu', ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER', scaling: { minInstanceCount: 2 } });
    expect(ofType(resources, 'gcp:serviceaccount/account:Account')).toEqual([]);
    expect(ofType(resources, 'gcp:storage/bucketIAMMember:BucketIAMMember')[0].inputs.member).toBe(`serviceAccount:${email}`);
    expect(serviceOf(resources)).toMatchObject({ name: 'storefront-eu', ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER', template: { serviceAccount: email, scaling: { minInstanceCount: 2 } } });
  });
});

describe("SpiceReaderCloudRun with a disk of the reader's own", () => {
  it('sizes the in-memory volume and the memory limit by localDisk: a reader of one small dataset is not billed the 10Gi floor', async () => {
    // products is 500Mi: twice that fits in 1Gi, where the derived disk has a 10Gi floor.
    const { resources, reader } = await deploy({ localDisk: '1Gi' });
    expect(serviceOf(resources).template.volumes.find((v: { name: string }) => v.name === 'spice-reader-local')).toEqual({ name: 'spice-reader-local', emptyDir: { medium: 'MEMORY', sizeLimit: '1024Mi' } });
    expect(containerOf(resources, 'spice-reader').resources.limits.memory).toBe(`${4096 + 1024 + 256 + 1024}Mi`);
    expect(reader.instance.localDiskBytes).toBe(2 ** 30);
  });

  it('warns of a localDisk smaller than twice its datasets, and refuses one that is not a size, at args.localDisk', async () => {
    const warned = vi.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
    try {
      await deploy({ localDisk: '512Mi' });
      expect(warned.mock.calls.map(([message]) => String(message)).filter((message) => message.includes('[ack: reader-disk-small]'))).toEqual([
        "args.localDisk: 512Mi is less than twice the accelerated datasets the reader restores (500Mi by their expectedSize): spiced downloads a new snapshot beside the current file, so restores would fail once the disk fills; "
          + "raise it to at least 1000Mi, leave it out to use the description's reader.localDisk or the derived size, or correct the datasets' expectedSize [ack: reader-disk-small]",
      ]);
    } finally {
      warned.mockRestore();
    }
    const split = await splitOf();
    expect(componentProblems(() => new SpiceReaderCloudRun('bad', { split, project: 'acme-catalog', location: 'europe-west4', app: APP, imageRepository: MIRROR, datasets: ['products'], localDisk: 'plenty' }), 'bad')).toEqual([
      "args.localDisk: \"plenty\" is not a size; use a Kubernetes quantity, e.g. '4Gi'",
    ]);
    // With a dataset that is not the split's, both at once.
    expect(componentProblems(() => new SpiceReaderCloudRun('bad', { split, project: 'acme-catalog', location: 'europe-west4', app: APP, imageRepository: MIRROR, datasets: ['prodcts'], localDisk: '0' }), 'bad').map((p) => p.split(':')[0])).toEqual(['args.datasets[0]', 'args.localDisk']);
    expect(await registeredSince()).toEqual([]);
  });
});

describe('SpiceReaderCloudRun in another region than its snapshots', () => {
  it('warns that every restore crosses regions, unless the description acknowledges it', async () => {
    const warned = vi.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
    try {
      await deploy({ location: 'us-central1' });
      const crossing = warned.mock.calls.map(([message]) => String(message)).filter((message) => message.includes('[ack: reader-cross-region]'));
      expect(crossing).toEqual([
        "args.location: is us-central1, but the split's snapshots are in europe-west4: every restore crosses regions (slower starts, inter-region transfer charges); run the reader in europe-west4, or acknowledge this [ack: reader-cross-region]",
      ]);
      warned.mockClear();
      await deploy();
      await deploy({ location: 'us-central1' }, derivedSplit(catalog, { acknowledgedWarnings: [...(catalog.acknowledgedWarnings ?? []), 'reader-cross-region'] }));
      expect(warned.mock.calls.filter(([message]) => String(message).includes('reader-cross-region'))).toEqual([]);
    } finally {
      warned.mockRestore();
    }
  });
});

describe('SpiceReaderCloudRun with Direct VPC egress of all traffic', () => {
  it('warns that its restores go through the egress subnetwork, which needs Private Google Access or Cloud NAT, unless acknowledged', async () => {
    const warned = vi.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
    const egress = () => warned.mock.calls.map(([message]) => String(message)).filter((message) => message.includes('[ack: cloud-run-all-traffic-egress]'));
    try {
      await deploy({ vpcAccess: { ...VPC, egress: 'ALL_TRAFFIC' } });
      expect(egress()).toEqual([
        "args.vpcAccess.egress: is 'ALL_TRAFFIC', so the reader downloads its snapshots from storage.googleapis.com through the subnetwork run-egress, which reaches Google APIs only with Private Google Access "
          + '(gcloud compute networks subnets update run-egress --region europe-west4 --enable-private-ip-google-access) or Cloud NAT, or every restore fails; '
          + "the component cannot check it: make sure one is on, or use 'PRIVATE_RANGES_ONLY' (Google APIs go direct, the writers' internal address still through the VPC) [ack: cloud-run-all-traffic-egress]",
      ]);
      warned.mockClear();
      await deploy({ vpcAccess: VPC });
      await deploy({ vpcAccess: { ...VPC, egress: 'ALL_TRAFFIC' } }, derivedSplit(catalog, { acknowledgedWarnings: [...(catalog.acknowledgedWarnings ?? []), 'cloud-run-all-traffic-egress'] }));
      // A reader of delegated datasets only restores nothing.
      await deploy({ vpcAccess: { ...VPC, egress: 'ALL_TRAFFIC' }, datasets: ['reviews'], clusterApiKey: API_KEY }, BEHIND_BALANCER);
      expect(egress()).toEqual([]);
    } finally {
      warned.mockRestore();
    }
  });
});

describe('SpiceReaderCloudRun delegating to the writers', () => {
  it("reads the cluster API key from Secret Manager, mounts the writers' CA, and egresses through the VPC", async () => {
    const { resources, reader } = await deploy({ datasets: undefined, clusterApiKey: API_KEY, vpcAccess: VPC }, BEHIND_BALANCER);
    const email = await valueOf(reader.serviceAccountEmail);
    const container = containerOf(resources, 'spice-reader');
    expect(container.envs).toEqual([
      { name: 'HOME', value: '/app' },
      { name: 'SPICE_CLUSTER_API_KEY', valueSource: { secretKeyRef: { secret: 'catalog-cluster-api-key', version: '3' } } },
    ]);
    expect(container.volumeMounts.slice(0, 2)).toEqual([
      { name: 'spice-reader-spicepod', mountPath: '/spicepod' },
      { name: 'spice-reader-flight-ca', mountPath: '/etc/spice/flight-ca' },
    ]);
    const versions = ofType(resources, 'gcp:secretmanager/secretVersion:SecretVersion');
    expect(unwrapped(versions.find((v) => v.name === 'storefront-flight-ca')?.inputs.secretData)).toBe(TEST_FLIGHT_CA);
    const spicepod = unwrapped(versions.find((v) => v.name === 'storefront-spicepod')!.inputs.secretData) as string;
    expect(spicepod).toBe(spicepodToYaml(synthesizeSplit(BEHIND_BALANCER).reader.spicepod));
    expectValidSpicepod(parse(spicepod));
    expect(serviceOf(resources).template.vpcAccess).toEqual(VPC);
    expect(sorted(ofType(resources, 'gcp:secretmanager/secretIamMember:SecretIamMember').map((r) => r.inputs.secretId))).toEqual(sorted([
      'catalog-cluster-api-key', 'storefront-europe-west4-flight-ca', 'storefront-europe-west4-spicepod',
    ]));
    for (const grant of ofType(resources, 'gcp:secretmanager/secretIamMember:SecretIamMember')) expect(grant.inputs.member).toBe(`serviceAccount:${email}`);
    const text = JSON.stringify(resources.map((r) => r.inputs));
    for (const word of SOURCE_SECRETS) expect(text).not.toContain(word);
  });
});

describe('SpiceReaderCloudRun delegating from another region', () => {
  it("warns that GKE's internal load balancer takes its own region's clients only, unless global access is on", async () => {
    const warned = vi.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
    const regionWarnings = () => warned.mock.calls.map(([message]) => String(message)).filter((message) => message.includes('[ack: gke-load-balancer-region]'));
    try {
      await deploy({ datasets: undefined, clusterApiKey: API_KEY, vpcAccess: VPC, location: 'us-central1' }, BEHIND_BALANCER);
      expect(regionWarnings()).toEqual([
        'args.location: is us-central1, but the writers\' Flight load balancer is in europe-west4: a GKE internal passthrough load balancer takes clients of its own region only, so every delegated query would time out; '
          + 'give the chart\'s flightLoadBalancer the annotation networking.gke.io/internal-load-balancer-allow-global-access: "true", or run the reader in europe-west4 [ack: gke-load-balancer-region]',
      ]);
      warned.mockClear();
      // In the writers' region, or delegating nothing: nothing to say.
      await deploy({ datasets: undefined, clusterApiKey: API_KEY, vpcAccess: VPC }, BEHIND_BALANCER);
      await deploy({ location: 'us-central1' });
      expect(regionWarnings()).toEqual([]);
    } finally {
      warned.mockRestore();
    }
  });
});

describe('SpiceReaderCloudRun refuses bad input', () => {
  async function problemsOf(args: Partial<SpiceReaderCloudRunArgs>, spec: SplitSpec = catalog): Promise<string[]> {
    const split = await splitOf(spec);
    const problems = componentProblems(() => new SpiceReaderCloudRun('bad', { split, project: 'acme-catalog', location: 'europe-west4', app: APP, imageRepository: MIRROR, ...args } as SpiceReaderCloudRunArgs), 'bad');
    expect(await registeredSince()).toEqual([]);
    return problems;
  }

  it('lists every problem at once, and registers nothing', async () => {
    const problems = await problemsOf({
      app: { image: 'web:1', name: 'spice-reader', ports: { containerPort: 8090 } },
      ingress: 'PUBLIC' as never,
      project: 'Acme',
      serviceAccountEmail: 'nobody',
    }, BEHIND_BALANCER);
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'args.project', 'args.ingress', 'args.serviceAccountEmail', 'args.app.name', 'args.app.ports.containerPort', 'args.clusterApiKey', 'args.vpcAccess',
    ]);
    expect(problems.join('\n')).toMatch(/args\.app\.ports\.containerPort: 8090 is the reader's HTTP port: the application and spiced share one network namespace on Cloud Run; move the application/);
    expect(problems.join('\n')).toMatch(/args\.clusterApiKey: is missing, but the reader delegates reviews to the writers/);
    expect(problems.join('\n')).toMatch(/args\.vpcAccess: is missing, .* give Direct VPC egress/);
    expect(problems.join('\n')).toMatch(/args\.app\.name: "spice-reader" is the reader's container name/);
  });

  it("takes Cloud Run's port 8080 for an application that names none", async () => {
    expect(await problemsOf({ app: { image: 'web:1' }, metricsPort: 8080, datasets: ['products'] })).toEqual([
      expect.stringMatching(/^args\.app\.ports\.containerPort: 8080 is the reader's metrics port/),
    ]);
  });

  it("refuses a reader that delegates with the writers' in-cluster address, and a key it would not use", async () => {
    // The catalog example names an external endpoint; without it, readers off the cluster have the in-cluster one.
    const inClusterOnly = derivedSplit(catalog, { writer: undefined, acknowledgedWarnings: undefined });
    expect(await problemsOf({ clusterApiKey: API_KEY, vpcAccess: VPC }, inClusterOnly)).toEqual([
      expect.stringMatching(/^split\.writer\.externalFlightEndpoint: is \(as writer\.flightEndpoint\) the writers' in-cluster address .* a reader on Cloud Run cannot resolve/),
    ]);
    expect(await problemsOf({ datasets: ['products'], clusterApiKey: API_KEY })).toEqual([
      'args.clusterApiKey: is given, but the reader delegates no dataset, so it would hold a key it never uses; leave it out',
    ]);
    expect(await problemsOf({ datasets: ['nope'] })).toEqual([expect.stringMatching(/^args\.datasets\[0\]: "nope" is not a dataset of the split/)]);
  });

  it("refuses an instance that the vCPU's minimum memory takes over Cloud Run's 32 GiB", async () => {
    const big = derivedSplit(BEHIND_BALANCER, { reader: { ...BEHIND_BALANCER.reader, resources: { cpu: { request: '1', limit: '6' }, memory: { request: '1Gi', limit: '1Gi' } } } });
    const app = { ...APP, resources: { limits: { cpu: '1', memory: '28.5Gi' } } };
    expect(await problemsOf({ datasets: ['reviews'], clusterApiKey: API_KEY, vpcAccess: VPC, app }, big)).toEqual([
      'split.reader.resources.cpu.limit: "6" gives the reader 6 vCPU, for which Cloud Run requires 4 GiB of memory: with the application\'s 28.5 GiB that is more than Cloud Run\'s 32 GiB per instance; lower reader.resources.cpu.limit, or the application\'s memory limit',
    ]);
  });

  it("refuses an instance over Cloud Run's 32 GiB: the in-memory volumes count against memory", async () => {
    const big = derivedSplit(catalog, { reader: { localDisk: '30Gi' } });
    expect(await problemsOf({ datasets: ['products'] }, big)).toEqual([
      expect.stringMatching(/^split\.reader\.localDisk: needs 31\.3 GiB with HOME and scratch, more than what Cloud Run leaves for the reader's in-memory volumes .* \(27\.5 GiB\); give this reader a smaller localDisk, lower reader\.resources\.memory\.limit/),
    ]);
    // The reader's own disk is where the problem is, and what to lower.
    expect(await problemsOf({ datasets: ['products'], localDisk: '30Gi' })).toEqual([
      expect.stringMatching(/^args\.localDisk: needs 31\.3 GiB with HOME and scratch, more than what Cloud Run leaves .*; lower localDisk, lower reader\.resources\.memory\.limit/),
    ]);
    expect(await problemsOf({ datasets: ['products'], app: { ...APP, resources: { limits: { cpu: '6', memory: 'lots' } } } })).toEqual([
      'args.app.resources.limits.memory: "lots" is not a quantity; write bytes with a unit, e.g. \'512Mi\'',
      expect.stringMatching(/^split\.reader\.resources\.cpu\.limit: "2" gives the reader 4 vCPU .* with the application's 6 make 10, more than Cloud Run's 8 vCPU per instance/),
    ]);
  });

  it("refuses pulling the reader image from another cloud's private registry, and keeps the split's tag in a mirror", async () => {
    expect(await problemsOf({ datasets: ['products'], imageRepository: undefined })).toEqual([
      'args.imageRepository: is not given, so Cloud Run would pull the split\'s image "709825985650.dkr.ecr.us-east-1.amazonaws.com/spice-ai/spiceai-enterprise-byol:2.0.1-enterprise" from a private registry Cloud Run holds no lasting credentials for; '
        + "copy the image into a registry Cloud Run pulls from and give that repository as imageRepository (the split's tag is kept), e.g. 'europe-west4-docker.pkg.dev/acme/spice/spiceai-enterprise-byol'",
    ]);
    expect(await problemsOf({ datasets: ['products'], imageRepository: 'acme.azurecr.io/spice' })).toEqual([expect.stringMatching(/^args\.imageRepository: "acme\.azurecr\.io\/spice" is from a private registry Cloud Run holds no lasting credentials for/)]);
    expect(await problemsOf({ datasets: ['products'], imageRepository: `${MIRROR}:2.0.1` })).toEqual([expect.stringMatching(/^args\.imageRepository: ".*:2\.0\.1" is not an image repository; write it without tag or digest/)]);
  });

  it('refuses a split that is not the GCP component, and args that are not an object', async () => {
    expect(componentProblems(() => new SpiceReaderCloudRun('bad', { split: {} as never, project: 'acme-catalog', location: 'europe-west4', app: APP }), 'bad')).toEqual([
      "args.split: {} is not a ReadWriteSplitGcp or a Spice Cloud split; give the split's ReadWriteSplitGcp component (or, when the writer is a Spice Cloud app, the split's description)",
    ]);
    // Something shaped like the component but holding no checked split.
    expect(componentProblems(() => new SpiceReaderCloudRun('bad', { split: { bucketName: 'x' } as never, project: 'acme-catalog', location: 'europe-west4', app: APP }), 'bad')).toEqual([
      expect.stringMatching(/^args\.split: \{"bucketName":"x"\} is not a ReadWriteSplitGcp or a Spice Cloud split/),
    ]);
    // A description with its own store: its ReadWriteSplitGcp grants the reader.
    expect(componentProblems(() => new SpiceReaderCloudRun('bad', { split: catalog as never, project: 'acme-catalog', location: 'europe-west4', app: APP }), 'bad')).toEqual([
      "args.split: is the description of a split with its own store, whose bucket the reader is granted by its ReadWriteSplitGcp; give the split's ReadWriteSplitGcp component (or, when the writer is a Spice Cloud app, the split's description)",
    ]);
    expect(componentProblems(() => new SpiceReaderCloudRun('bad', undefined as never), 'bad')).toEqual([
      "args: undefined is not the component's args; give { split, project, location, app }",
    ]);
    expect(await registeredSince()).toEqual([]);
  });
});
