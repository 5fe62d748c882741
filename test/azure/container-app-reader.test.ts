import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import { describe, expect, it, vi } from 'vitest';
import type { SplitSpec } from '../../lib';
import { ReadWriteSplitAzure, SpiceReaderContainerApp, SpiceReaderContainerAppArgs } from '../../lib/azure';
import { azureBlobReadCondition, ownershipFixCommand, readerInstance, storedSplit, synthesizeSplit } from '../../lib/core';
import { MOCK_OIDC_ISSUER, MOCK_SUBSCRIPTION } from '../../examples/azure/mock-cloud';
import { telemetry } from '../../examples/splits/telemetry';
import { componentProblems } from '../support/errors';
import { derivedSplit } from '../support/example-splits';
import { TEST_FLIGHT_CA } from '../support/flight-ca';
import { expectValidSpicepod } from '../support/spicepod-schema';
import { GUID, installMocks, named, registeredSince, ROLE, sorted, valueOf } from './support';

installMocks();

const T = {
  component: 'read-write-split:index:SpiceReaderContainerApp',
  identity: 'azure-native:managedidentity:UserAssignedIdentity',
  role: 'azure-native:authorization:RoleAssignment',
  app: 'azure-native:app:ContainerApp',
} as const;
const ENVIRONMENT_ID = `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/acme-apps/providers/Microsoft.App/managedEnvironments/apps`;
const CONTAINER_ID = `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/acme-telemetry/providers/Microsoft.Storage/storageAccounts/acmedevices/blobServices/default/containers/spice-snapshots`;
const VAULT_ID = `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/acme-apps/providers/Microsoft.KeyVault/vaults/acme-apps`;
const MIRROR = 'acme.azurecr.io/spice-ai/spiceai-enterprise-byol';
const KEY_URL = 'https://acme-apps.vault.azure.net/secrets/spice-cluster-api-key';

/** A split whose readers fit Container Apps' 8 GiB of ephemeral storage (4Gi of acceleration files). */
const devices: SplitSpec = derivedSplit(telemetry, {
  name: 'devices',
  store: { ...telemetry.store, account: 'acmedevices' },
  reader: { localDisk: '4Gi' },
});
/** The same split, its writers reachable from the Container Apps environment over TLS. */
const delegating: SplitSpec = {
  ...devices,
  writer: { flightEndpoint: 'https://devices-writer.internal.acme.example:50051', tls: { secretName: 'devices-writer-tls', caCertificate: TEST_FLIGHT_CA } },
};

function azureSplit(spec: SplitSpec = devices): ReadWriteSplitAzure {
  return new ReadWriteSplitAzure(spec.name, {
    split: spec,
    resourceGroupName: 'acme-telemetry',
    cluster: { location: 'westeurope', oidcIssuerUrl: MOCK_OIDC_ISSUER },
    privateEndpointManagedElsewhere: true,
  });
}

const APP = { name: 'api', image: 'acme/devices-api:1.4.2', probes: [{ type: 'Readiness', httpGet: { path: '/ready', port: 8080 } }] };

function baseArgs(split: ReadWriteSplitAzure): SpiceReaderContainerAppArgs {
  return {
    split,
    resourceGroupName: 'acme-apps',
    managedEnvironmentId: ENVIRONMENT_ID,
    container: APP,
    cpu: 2.5,
    memory: '5Gi',
    datasets: ['device_models'],
    ingress: { targetPort: 8080 },
    // The split's Enterprise image is in AWS Marketplace ECR: Container Apps pulls a mirror.
    imageRepository: MIRROR,
  };
}

/** Registers the reader app of the split (after the split's own resources, which are dropped). */
async function deploy(changes: Partial<SpiceReaderContainerAppArgs> = {}, spec: SplitSpec = devices) {
  const split = azureSplit(spec);
  const splitResources = await registeredSince();
  const component = new SpiceReaderContainerApp('devices-api', { ...baseArgs(split), ...changes });
  const resources = await registeredSince();
  const app = named(resources, T.app, 'devices-api-app').inputs;
  const container = (containerName: string) => app.template.containers.find((c: any) => c.name === containerName);
  return { component, resources, app, container, split, splitResources };
}

/** Every problem construction reports, and that nothing was registered. */
async function problemsOf(changes: Partial<SpiceReaderContainerAppArgs>, spec: SplitSpec = devices): Promise<string[]> {
  const split = azureSplit(spec);
  await registeredSince();
  const problems = componentProblems(() => new SpiceReaderContainerApp('devices-api', { ...baseArgs(split), ...changes }), 'devices-api');
  expect(await registeredSince()).toEqual([]);
  return problems;
}

/** Anything that looks like a source credential: the lake's access key and its secret, keys, SAS tokens. */
const SOURCE_CREDENTIAL = /abfs_access_key|lake-access|AccountKey|access_key|client_secret|AZURE_CLIENT_SECRET|AZURE_FEDERATED_TOKEN_FILE|sig=/i;

describe('the Container App', () => {
  it('registers the identity, its role on the snapshot container and the app, under the component', async () => {
    const { resources } = await deploy();
    expect(sorted(resources.map((r) => [r.type, r.name]))).toEqual(sorted([
      [T.component, 'devices-api'],
      [T.identity, 'devices-api-identity'],
      [T.role, 'devices-api-blob-data'],
      [T.app, 'devices-api-app'],
    ]));
  });

  it("gives the app's identity Storage Blob Data Reader on the split's container, kept to the refresh prefix like the AKS readers' identity", async () => {
    const { resources, split, splitResources } = await deploy();
    const identity = named(resources, T.identity, 'devices-api-identity');
    expect(identity.inputs).toMatchObject({ resourceName: 'devices-api-spice-reader', resourceGroupName: 'acme-apps', location: 'westeurope' });
    const role = named(resources, T.role, 'devices-api-blob-data').inputs;
    const synthesized = storedSplit(split.synthesized.split, 'the test');
    expect(role).toMatchObject({
      principalId: identity.state.principalId,
      principalType: 'ServicePrincipal',
      scope: CONTAINER_ID,
      roleDefinitionId: `/subscriptions/${MOCK_SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.blobDataReader}`,
      ...azureBlobReadCondition(synthesized.store.bucket, { prefix: synthesized.store.refresh.folder, access: 'read' }),
    });
    expect(role.condition).toContain(`StringStartsWith '${synthesized.store.refresh.folder}'`);
    // The same condition as the AKS reader identity's.
    expect(role.condition).toBe(named(splitResources, T.role, 'devices-reader-blob-data').inputs.condition);
  });

  it('runs the app with its user-assigned identity, in the environment, with internal ingress only', async () => {
    const { app, resources } = await deploy();
    const identity = named(resources, T.identity, 'devices-api-identity');
    expect(app).toMatchObject({
      containerAppName: 'devices-api',
      resourceGroupName: 'acme-apps',
      environmentId: ENVIRONMENT_ID,
      location: 'westeurope',
      identity: { type: 'UserAssigned', userAssignedIdentities: [identity.state.id] },
      configuration: { ingress: { targetPort: 8080, external: false, allowInsecure: false } },
    });
    const external = await deploy({ ingress: { targetPort: 8080, external: true } });
    expect(external.app.configuration.ingress.external).toBe(true);
  });

  it("keeps the app's container as given, with its share of the replica", async () => {
    const { container } = await deploy();
    expect(container('api')).toEqual({ ...APP, resources: { cpu: 0.5, memory: '1Gi' } });
  });

  it("runs the model's reader as the spice-reader sidecar: image, command, HTTP on 0.0.0.0 (Flight and metrics on loopback), env, limits as allocation, probes", async () => {
    const { container, resources, split } = await deploy();
    const instance = readerInstance(split.synthesized, 'container-apps', { datasets: ['device_models'], appPorts: [8080, 8080], imageRepository: MIRROR });
    const identity = named(resources, T.identity, 'devices-api-identity');
    const reader = container('spice-reader');
    expect(reader).toMatchObject({ image: instance.image, command: instance.command, args: instance.args, resources: { cpu: 2, memory: '4Gi' } });
    // HTTP on the replica's address for the probes; Flight and metrics on loopback, for the app only.
    expect(reader.args.slice(0, 6)).toEqual(['--http', '0.0.0.0:8090', '--flight', '127.0.0.1:50051', '--metrics', '127.0.0.1:9090']);
    expect(reader.env).toEqual([
      { name: 'HOME', value: '/app' }, { name: 'AZURE_CLIENT_ID', value: identity.state.clientId }, { name: 'SPICEPOD_SHA256', value: instance.spicepodChecksum },
    ]);
    expect(identity.state.clientId).toMatch(GUID);
    expect(reader.probes).toEqual([
      { type: 'Startup', httpGet: { path: '/health', port: 8090, scheme: 'HTTP' }, periodSeconds: 30, failureThreshold: 10, timeoutSeconds: 1 },
      { type: 'Liveness', httpGet: { path: '/health', port: 8090, scheme: 'HTTP' }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 1 },
      { type: 'Readiness', httpGet: { path: '/v1/ready', port: 8090, scheme: 'HTTP' }, periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 1 },
    ]);
    // Container Apps allows at most 10 failures: the model's startup budget (5 s x 60) is kept.
    expect(reader.probes[0].periodSeconds * reader.probes[0].failureThreshold).toBe(instance.probes.startup.periodSeconds * instance.probes.startup.failureThreshold);
  });

  it('rolls a new revision when the Spicepod changes (its secret is in configuration, which makes none), and keeps one replica warm', async () => {
    const all = await deploy();
    const some = await deploy({}, { ...devices, name: 'devices2', store: { ...devices.store, account: 'acmedevices2' }, reader: { localDisk: '4Gi', snapshotCheckInterval: '5m' } });
    const checksum = (container: (name: string) => any) => container('spice-reader').env.find((e: any) => e.name === 'SPICEPOD_SHA256').value;
    expect(checksum(all.container)).not.toBe(checksum(some.container));
    expect(all.app.template.scale).toMatchObject({ minReplicas: 1 });
  });

  it('hands the EmptyDir volumes to spiced with a busybox init container mounted at the same paths', async () => {
    const { app, container, split } = await deploy();
    const instance = readerInstance(split.synthesized, 'container-apps', { datasets: ['device_models'], imageRepository: MIRROR });
    expect(app.template.initContainers).toEqual([{
      name: 'spice-reader-init',
      image: 'busybox:1.36.1',
      command: ownershipFixCommand(instance),
      resources: { cpu: 0.25, memory: '0.5Gi' },
      volumeMounts: [
        { volumeName: 'spice-reader-local', mountPath: '/local' },
        { volumeName: 'spice-reader-home', mountPath: '/app' },
        { volumeName: 'spice-reader-tmp', mountPath: '/tmp' },
      ],
    }]);
    expect(app.template.initContainers[0].command[2]).toBe('chown -R 65534:65534 /local /app /tmp && chmod 0700 /local /app /tmp');
    expect(container('spice-reader').volumeMounts).toEqual([
      { volumeName: 'spice-reader-local', mountPath: '/local' },
      { volumeName: 'spice-reader-home', mountPath: '/app' },
      { volumeName: 'spice-reader-tmp', mountPath: '/tmp' },
      { volumeName: 'spice-reader-spicepod', mountPath: '/spicepod' },
    ]);
    expect(app.template.volumes).toEqual([
      { name: 'spice-reader-local', storageType: 'EmptyDir' },
      { name: 'spice-reader-home', storageType: 'EmptyDir' },
      { name: 'spice-reader-tmp', storageType: 'EmptyDir' },
      { name: 'spice-reader-spicepod', storageType: 'Secret', secrets: [{ secretRef: 'spice-reader-spicepod', path: 'spicepod.yaml' }] },
    ]);
    const pinned = await deploy({ helperImage: 'registry.acme.example/busybox:1.36.1' });
    expect(pinned.app.template.initContainers[0].image).toBe('registry.acme.example/busybox:1.36.1');
  });

  it("mounts the core's reader Spicepod from a secret, valid against Spice's schema, restoring from abfss://", async () => {
    const { app, split } = await deploy();
    const instance = readerInstance(split.synthesized, 'container-apps', { datasets: ['device_models'], imageRepository: MIRROR });
    const secret = app.configuration.secrets.find((s: any) => s.name === 'spice-reader-spicepod');
    expect(secret.value).toBe(instance.spicepodYaml);
    expectValidSpicepod(secret.value);
    const spicepod = parse(secret.value);
    expect(spicepod.datasets.map((d: any) => d.name)).toEqual(['device_models']);
    expect(spicepod.snapshots.location).toBe('abfss://spice-snapshots@acmedevices.dfs.core.windows.net/devices/refresh/');
    expect(app.configuration.secrets).toHaveLength(1);
  });

  it('holds no source credential anywhere: no lake key, no client secret, no federated token', async () => {
    const { resources } = await deploy();
    for (const resource of resources) expect(JSON.stringify(resource.inputs), resource.name).not.toMatch(SOURCE_CREDENTIAL);
    const full = await deploy({ datasets: undefined, clusterApiKey: { secretUrl: KEY_URL } }, delegating);
    for (const resource of full.resources) expect(JSON.stringify(resource.inputs), resource.name).not.toMatch(SOURCE_CREDENTIAL);
    // The writers hold the lake key: the same split's writer Spicepod does.
    expect(JSON.stringify(synthesizeSplit(delegating).writer)).toMatch(/abfs_access_key/);
  });

  it('reads the cluster API key from Key Vault with the identity, maps it to the model env variable, and mounts the writers CA', async () => {
    const { app, container, resources } = await deploy({ datasets: undefined, clusterApiKey: { secretUrl: KEY_URL, keyVaultId: VAULT_ID } }, delegating);
    const identity = named(resources, T.identity, 'devices-api-identity');
    expect(app.configuration.secrets).toContainEqual({ name: 'spice-reader-cluster-api-key', keyVaultUrl: KEY_URL, identity: identity.state.id });
    expect(app.configuration.secrets).toContainEqual({ name: 'spice-reader-flight-ca', value: TEST_FLIGHT_CA });
    expect(container('spice-reader').env).toContainEqual({ name: 'SPICE_CLUSTER_API_KEY', secretRef: 'spice-reader-cluster-api-key' });
    expect(container('spice-reader').volumeMounts).toContainEqual({ volumeName: 'spice-reader-flight-ca', mountPath: '/etc/spice/flight-ca' });
    expect(app.template.volumes).toContainEqual({ name: 'spice-reader-flight-ca', storageType: 'Secret', secrets: [{ secretRef: 'spice-reader-flight-ca', path: 'ca.crt' }] });
    const secretSpicepod = parse(app.configuration.secrets.find((s: any) => s.name === 'spice-reader-spicepod').value);
    expectValidSpicepod(secretSpicepod);
    expect(JSON.stringify(secretSpicepod)).toContain('${secrets:SPICE_CLUSTER_API_KEY}');
    expect(named(resources, T.role, 'devices-api-cluster-api-key').inputs).toMatchObject({
      principalId: identity.state.principalId,
      scope: `${VAULT_ID}/secrets/spice-cluster-api-key`,
      roleDefinitionId: `/subscriptions/${MOCK_SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
    });
  });

  it('pulls from an Azure Container Registry with the identity, granted AcrPull before the app exists', async () => {
    const registryId = `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/acme-apps/providers/Microsoft.ContainerRegistry/registries/acmeregistry`;
    const { app, resources } = await deploy({ containerRegistries: [{ server: 'acmeregistry.azurecr.io', registryId }] });
    const identity = named(resources, T.identity, 'devices-api-identity');
    expect(app.configuration.registries).toEqual([{ server: 'acmeregistry.azurecr.io', identity: identity.state.id }]);
    expect(named(resources, T.role, 'devices-api-acr-pull-0').inputs).toMatchObject({
      principalId: identity.state.principalId,
      scope: registryId,
      roleDefinitionId: `/subscriptions/${MOCK_SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d`,
    });
    expect(await problemsOf({ containerRegistries: [{ server: 'docker.io', registryId }] })).toEqual([
      expect.stringMatching(/^args\.containerRegistries\[0\]\.server: "docker\.io" is not an Azure Container Registry login server/),
    ]);
  });

  it('exposes where the app reaches the reader', async () => {
    const { component } = await deploy();
    expect(component.endpoints).toEqual({ http: 'http://127.0.0.1:8090', flight: 'grpc://127.0.0.1:50051' });
    expect(await valueOf(component.identity.clientId)).toMatch(GUID);
  });

  it("takes the app's share from container.resources instead of the totals", async () => {
    const { container } = await deploy({ cpu: undefined, memory: undefined, container: { ...APP, resources: { cpu: 1, memory: '2Gi' } } });
    expect(container('api').resources).toEqual({ cpu: 1, memory: '2Gi' });
    // 1 vCPU gives the replica 4 GiB of ephemeral storage: a reader with 2Gi of acceleration files fits.
    const smallSplit = derivedSplit(devices, { name: 'devices-small', store: { ...devices.store, account: 'acmedevicessmall' }, reader: { localDisk: '2Gi' } });
    const small = await deploy({ cpu: 1, memory: '2Gi', readerResources: { cpu: 0.75, memory: '1.5Gi' } }, smallSplit);
    expect(small.container('spice-reader').resources).toEqual({ cpu: 0.75, memory: '1.5Gi' });
    expect(small.container('api').resources).toEqual({ cpu: 0.25, memory: '0.5Gi' });
  });
});

describe("the Container App's own localDisk", () => {
  it('warns of one smaller than twice the datasets the reader restores, at args.localDisk', async () => {
    const warned = vi.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
    try {
      await deploy({ localDisk: '512Mi' });
      expect(warned.mock.calls.map(([message]) => String(message)).filter((message) => message.includes('[ack: reader-disk-small]'))).toEqual([
        expect.stringMatching(/^args\.localDisk: 512Mi is less than twice the accelerated datasets the reader restores \(500Mi by their expectedSize\).*raise it to at least 1000Mi/),
      ]);
    } finally {
      warned.mockRestore();
    }
  });
});

describe('the Container App in another region than its snapshots', () => {
  it('warns that every restore crosses regions, in any spelling of the location, unless acknowledged', async () => {
    const warned = vi.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
    const crossing = () => warned.mock.calls.map(([message]) => String(message)).filter((message) => message.includes('[ack: reader-cross-region]'));
    try {
      await deploy({ location: 'North Europe' });
      expect(crossing()).toEqual([
        "args.location: is northeurope, but the split's snapshots are in westeurope: every restore crosses regions (slower starts, inter-region transfer charges); run the reader in westeurope, or acknowledge this [ack: reader-cross-region]",
      ]);
      warned.mockClear();
      await deploy({ location: 'West Europe' });
      await deploy();
      await deploy({ location: 'northeurope' }, derivedSplit(devices, { acknowledgedWarnings: ['reader-cross-region'] }));
      // A reader of delegated datasets only restores nothing: no restore crosses regions.
      await deploy({ location: 'northeurope', datasets: ['device_state'], clusterApiKey: { secretUrl: KEY_URL } }, delegating);
      expect(crossing()).toEqual([]);
    } finally {
      warned.mockRestore();
    }
  });
});

describe('bad input', () => {
  it('lists every problem at once and registers nothing', async () => {
    const problems = await problemsOf({
      resourceGroupName: 'acme apps!',
      managedEnvironmentId: '/subscriptions/x/managedEnvironments/apps',
      container: { name: 'spice-reader', image: 'acme/api:1', probes: [{ type: 'Liveness', httpGet: { path: '/live', port: 9090 } }] },
      ingress: { targetPort: 8090 },
      appPorts: [50051],
      cpu: 2.3,
      memory: '4Gi',
      helperImage: 'busybox',
      clusterApiKey: { secretUrl: KEY_URL },
    });
    expect(problems).toEqual([
      expect.stringMatching(/^args\.resourceGroupName: "acme apps!" is not a resource group name/),
      expect.stringMatching(/^args\.managedEnvironmentId: .* is not a Container Apps environment id/),
      expect.stringMatching(/^args\.helperImage: "busybox" has no tag or digest/),
      expect.stringMatching(/^args\.container\.name: "spice-reader" starts with 'spice-reader'/),
      expect.stringMatching(/^args\.appPorts\[0\]: 50051 is the reader's Arrow Flight port: the application and spiced share one network namespace on Azure Container Apps; move the application to another port$/),
      expect.stringMatching(/^args\.ingress\.targetPort: 8090 is the reader's HTTP port/),
      expect.stringMatching(/^args\.container\.probes\[0\]\.httpGet\.port: 9090 is the reader's metrics port/),
    ]);
  });

  it('refuses a reader whose disk exceeds the replica ephemeral storage, with the limit and the fix', async () => {
    const problems = await problemsOf({ cpu: 1, memory: '2Gi', readerResources: { cpu: 0.5, memory: '1Gi' } });
    expect(problems).toEqual([
      "split.reader.localDisk: needs 5.3 GiB with HOME and scratch, more than the ephemeral storage Container Apps gives a replica of 1 vCPU (4 GiB); give this reader fewer accelerated datasets (datasets), set this reader's localDisk to at most 2816Mi (it must still hold twice the accelerated datasets' size), give the replica more vCPU (8 GiB above 1 vCPU), or keep this reader a Kubernetes sidecar",
    ]);
    // A disk of the reader's own is refused where it is given.
    expect(await problemsOf({ cpu: 1, memory: '2Gi', readerResources: { cpu: 0.5, memory: '1Gi' }, localDisk: '3Gi' })).toEqual([
      expect.stringMatching(/^args\.localDisk: needs 4\.3 GiB with HOME and scratch, more than the ephemeral storage Container Apps gives a replica of 1 vCPU \(4 GiB\); give this reader fewer accelerated datasets \(datasets\), set localDisk to at most 2816Mi/),
    ]);
    // The default floor of reader.localDisk (10Gi) never fits: 8 GiB is the most a replica gets.
    const defaultDisk = derivedSplit(telemetry, { name: 'fleet', store: { ...telemetry.store, account: 'acmefleet' }, reader: {} });
    const telemetryProblems = await problemsOf({}, defaultDisk);
    expect(telemetryProblems).toEqual([expect.stringMatching(/^split\.reader\.localDisk: needs 11\.3 GiB with HOME and scratch, more than the ephemeral storage Container Apps gives a replica of 2\.5 vCPU \(8 GiB\)/)]);
    // The reader's own localDisk fits it without changing the split's other readers.
    const { app } = await deploy({ localDisk: '4Gi' }, defaultDisk);
    expect(app.template.containers.map((c: { name: string }) => c.name)).toContain('spice-reader');
  });

  it('refuses CPU and memory that are no Container Apps combination', async () => {
    expect(await problemsOf({ cpu: 2.5, memory: '4Gi' })).toEqual([
      "args.cpu: 2.5 vCPU with memory 4Gi (the replica's totals) leave the app nothing once the reader has its 2 vCPU and 4Gi; raise the totals, or lower readerResources",
    ]);
    expect(await problemsOf({ cpu: 2.5, memory: '5Gi', environmentType: 'consumption-only' })).toEqual([
      expect.stringMatching(/^args\.cpu: the replica's total of 2\.5 vCPU and 5Gi \(app 0\.5 vCPU \/ 1Gi, reader 2 vCPU \/ 4Gi\) is not a Container Apps Consumption combination; lower readerResources or the app's share: the Consumption plan allows at most 2 vCPU \/ 4Gi in a Consumption-only environment/),
    ]);
    expect(await problemsOf({ cpu: 3, memory: '5Gi' })).toEqual([
      expect.stringMatching(/^args\.cpu: the replica's total of 3 vCPU and 5Gi .* e\.g\. cpu: 3, memory: '6Gi'$/),
    ]);
    expect(await problemsOf({ cpu: 2.555, memory: '5GB', readerResources: { cpu: 0, memory: '1' } })).toEqual([
      expect.stringMatching(/^args\.readerResources\.cpu: 0 is not a Container Apps vCPU count/),
      expect.stringMatching(/^args\.readerResources\.memory: "1" is not a Container Apps memory size/),
      expect.stringMatching(/^args\.cpu: 2\.555 is not a Container Apps vCPU count/),
      expect.stringMatching(/^args\.memory: "5GB" is not a Container Apps memory size/),
    ]);
    expect(await problemsOf({ cpu: undefined, memory: undefined })).toEqual([
      expect.stringMatching(/^args\.cpu: and memory are missing, and so is the app's container\.resources/),
    ]);
    // A Dedicated workload profile takes any allocation up to its size: Azure checks it.
    const dedicated = await deploy({ cpu: 3, memory: '12Gi', workloadProfileName: 'memory-e8' });
    expect(dedicated.container('api').resources).toEqual({ cpu: 1, memory: '8Gi' });
  });

  it('requires the cluster API key when the reader delegates, and refuses it when it does not', async () => {
    expect(await problemsOf({ datasets: undefined }, delegating)).toEqual([
      expect.stringMatching(/^args\.clusterApiKey: is missing: this reader delegates datasets to the writers over Arrow Flight/),
    ]);
    expect(await problemsOf({ clusterApiKey: { secretUrl: KEY_URL } })).toEqual([
      'args.clusterApiKey: is not used: this reader delegates no dataset to the writers, so it holds no cluster API key; remove it',
    ]);
    expect(await problemsOf({ datasets: undefined, clusterApiKey: { secretUrl: 'https://example.com/key', keyVaultId: 'acme-apps' } }, delegating)).toEqual([
      expect.stringMatching(/^args\.clusterApiKey\.secretUrl: "https:\/\/example\.com\/key" is not a Key Vault secret URL/),
      expect.stringMatching(/^args\.clusterApiKey\.keyVaultId: "acme-apps" is not a Key Vault resource id/),
    ]);
  });

  it("refuses delegation to the writers' in-cluster address, which Container Apps cannot resolve", async () => {
    expect(await problemsOf({ datasets: undefined })).toEqual([
      expect.stringMatching(/^args\.split\.writer\.externalFlightEndpoint: is \(as writer\.flightEndpoint\) the writers' in-cluster address "http:\/\/devices-writer\.devices\.svc\.cluster\.local:50051", which a reader on Azure Container Apps cannot resolve/),
    ]);
  });

  it('refuses Spice 1.x images: they ask IMDS for a token, which Container Apps does not serve', async () => {
    const oss = derivedSplit(devices, { name: 'devices1', image: { tag: '1.11.5' }, store: { ...devices.store, account: 'acmedevices1' } });
    const split = new ReadWriteSplitAzure('devices1', {
      split: oss, resourceGroupName: 'acme-telemetry', cluster: { location: 'westeurope' }, privateEndpointManagedElsewhere: true, nodeIdentity: { principalId: '6b1f0c2e-4d3a-4e5f-8a7b-9c0d1e2f3a4b' },
    });
    await registeredSince();
    expect(componentProblems(() => new SpiceReaderContainerApp('devices-api', { ...baseArgs(split) }), 'devices-api')).toEqual([
      "split.image: \"spiceai/spiceai:1.11.5\" is Spice 1.11.5, which opens abfss:// snapshot locations with object_store's default builder: it reads no environment and asks IMDS (169.254.169.254) for a token, but Container Apps serves the app's managed identity at IDENTITY_ENDPOINT/IDENTITY_HEADER only, so this reader could never restore a snapshot; use a Spice 2.x image (2.0.0-rc.5 or later, which builds the store from the environment, IDENTITY_ENDPOINT included), or keep this reader a Kubernetes sidecar on AKS",
    ]);
    expect(await registeredSince()).toEqual([]);
  });

  it('refuses an ingress given as an Output, whose fields the component reads (its own fields may be Outputs)', async () => {
    expect(await problemsOf({ ingress: pulumi.output({ targetPort: 8080 }) as never })).toEqual([
      'args.ingress: is a Pulumi Output, but the component reads its fields (external, targetPort) when the program runs; give the ingress as a plain object; its fields may be Outputs',
    ]);
  });

  it('refuses what is no ReadWriteSplitAzure, and names that are not Container Apps names', async () => {
    expect(componentProblems(() => new SpiceReaderContainerApp('devices-api', { ...baseArgs(undefined as unknown as ReadWriteSplitAzure) }), 'devices-api')).toEqual([
      "args.split: undefined is not a ReadWriteSplitAzure or a Spice Cloud split; give the split's ReadWriteSplitAzure component (or, when the writer is a Spice Cloud app, the split's description)",
    ]);
    expect(componentProblems(() => new SpiceReaderContainerApp('devices-api', { ...baseArgs(devices as never) }), 'devices-api')).toEqual([
      expect.stringMatching(/^args\.split: is the description of a split with its own store, whose container the reader is granted by its ReadWriteSplitAzure/),
    ]);
    expect(await problemsOf({ containerAppName: 'Devices_API', identityName: 'x', secrets: [{ name: 'spice-reader-spicepod', value: 'x' }] })).toEqual([
      expect.stringMatching(/^args\.containerAppName: "Devices_API" is not a container app name/),
      expect.stringMatching(/^args\.identityName: "x" is not a managed identity name/),
      expect.stringMatching(/^args\.secrets\[0\]\.name: "spice-reader-spicepod" starts with 'spice-reader'/),
    ]);
  });
});
