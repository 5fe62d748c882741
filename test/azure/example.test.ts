import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockAzureResource, MOCK_OIDC_ISSUER, MOCK_SUBSCRIPTION, MOCK_TENANT } from '../../examples/azure/mock-cloud';
import { bin, run } from '../support/run';
import { GUID, ROLE } from './support';

interface Written {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
}

/** The example Pulumi program under mocks, as `npm run synth` runs it (against the compiled dist/). */
describe('examples/azure', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'rws-azure-'));
  let result: ReturnType<typeof run>;
  let resources: Written[];
  let outputs: Record<string, any>;
  beforeAll(() => {
    result = run(bin('tsx'), ['examples/azure/synth.ts', outDir]);
    if (result.status !== 0) throw new Error(result.output);
    resources = JSON.parse(readFileSync(join(outDir, 'resources.json'), 'utf8'));
    outputs = JSON.parse(readFileSync(join(outDir, 'stack-outputs.json'), 'utf8'));
  }, 120_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  const resource = (type: string, name: string) => {
    const found = resources.find((r) => r.type === type && r.name === name);
    if (!found) throw new Error(`no ${type} ${name} in resources.json`);
    return found;
  };
  /** What the mocked Azure answered for a written resource (ARM id; an identity's client and principal ids). */
  const answered = (type: string, name: string) => mockAzureResource(type, name, resource(type, name).inputs).state as Record<string, any>;

  it('writes every resource of the example to resources.json, sorted', () => {
    const key = (r: Written) => `${r.type} ${r.name}`;
    expect(resources.map(key)).toEqual([...resources].sort((a, b) => key(a).localeCompare(key(b))).map(key));
    expect(resources.map((r) => [r.type, r.name])).toEqual([
      ['azure-native:app:ContainerApp', 'devices-api-app'],
      ['azure-native:app:ContainerApp', 'reporting-app'],
      ['azure-native:authorization:RoleAssignment', 'devices-api-acr-pull-0'],
      ['azure-native:authorization:RoleAssignment', 'devices-api-blob-data'],
      ['azure-native:authorization:RoleAssignment', 'reporting-acr-pull-0'],
      ['azure-native:authorization:RoleAssignment', 'reporting-cluster-api-key'],
      ['azure-native:authorization:RoleAssignment', 'telemetry-reader-blob-data'],
      ['azure-native:authorization:RoleAssignment', 'telemetry-writer-blob-data'],
      ['azure-native:managedidentity:FederatedIdentityCredential', 'telemetry-reader-fic-devices/telemetry-reader'],
      ['azure-native:managedidentity:FederatedIdentityCredential', 'telemetry-writer-fic-telemetry/telemetry-writer'],
      ['azure-native:managedidentity:UserAssignedIdentity', 'devices-api-identity'],
      ['azure-native:managedidentity:UserAssignedIdentity', 'reporting-identity'],
      ['azure-native:managedidentity:UserAssignedIdentity', 'telemetry-reader'],
      ['azure-native:managedidentity:UserAssignedIdentity', 'telemetry-writer'],
      ['azure-native:network:PrivateDnsZoneGroup', 'telemetry-blob-dns-group'],
      ['azure-native:network:PrivateEndpoint', 'telemetry-blob-endpoint'],
      ['azure-native:privatedns:PrivateZone', 'telemetry-blob-dns'],
      ['azure-native:privatedns:VirtualNetworkLink', 'telemetry-blob-dns-link'],
      ['azure-native:storage:BlobContainer', 'telemetry-container'],
      ['azure-native:storage:BlobServiceProperties', 'telemetry-blob-service'],
      ['azure-native:storage:ManagementPolicy', 'telemetry-lifecycle'],
      ['azure-native:storage:StorageAccount', 'telemetry-account'],
      ['read-write-split:index:ReadWriteSplitAzure', 'telemetry'],
      ['read-write-split:index:SpiceReaderContainerApp', 'devices-api'],
      ['read-write-split:index:SpiceReaderContainerApp', 'reporting'],
    ]);
  });

  it('runs a reporting app beside a reader of the insights Spice Cloud app: the key from Key Vault, no storage role', () => {
    const app = resource('azure-native:app:ContainerApp', 'reporting-app').inputs;
    const identity = answered('azure-native:managedidentity:UserAssignedIdentity', 'reporting-identity');
    expect(app.configuration.secrets).toContainEqual({ name: 'spice-reader-cluster-api-key', keyVaultUrl: 'https://acme-apps.vault.azure.net/secrets/insights-spice-cloud-api-key', identity: identity.id });
    const spicepod = app.configuration.secrets.find((s: any) => s.name === 'spice-reader-spicepod').value;
    expect(spicepod).toContain('from: spice.ai:daily_revenue');
    expect(spicepod).not.toContain('snapshots');
    expect(app.template.containers[1].env.map((e: any) => e.name)).not.toContain('AZURE_CLIENT_ID');
    expect(resources.filter((r) => r.name.startsWith('reporting-') && r.type === 'azure-native:authorization:RoleAssignment').map((r) => r.inputs.scope)).toEqual([
      expect.stringMatching(/\/registries\/acmeregistry$/),
      expect.stringMatching(/\/vaults\/acme-apps\/secrets\/insights-spice-cloud-api-key$/),
    ]);
  });

  it("trusts the issuer the cluster lookup returned, for the readers' namespace", () => {
    expect(resource('azure-native:managedidentity:FederatedIdentityCredential', 'telemetry-reader-fic-devices/telemetry-reader').inputs).toMatchObject({
      issuer: MOCK_OIDC_ISSUER,
      subject: 'system:serviceaccount:devices:telemetry-reader',
      audiences: ['api://AzureADTokenExchange'],
    });
  });

  it("exports each tier's client id, as the identities were answered, for the cdk8s app", () => {
    expect(outputs.accountName).toBe('acmetelemetry');
    expect(outputs.refreshLocation).toBe('abfss://spice-snapshots@acmetelemetry.dfs.core.windows.net/telemetry/refresh/');
    const { writer, reader } = outputs.telemetryIdentities;
    expect(writer).toEqual({ type: 'azure-workload-identity', clientId: answered('azure-native:managedidentity:UserAssignedIdentity', 'telemetry-writer').clientId, tenantId: MOCK_TENANT });
    expect(reader).toEqual({ type: 'azure-workload-identity', clientId: answered('azure-native:managedidentity:UserAssignedIdentity', 'telemetry-reader').clientId, tenantId: MOCK_TENANT });
    expect(writer.clientId).toMatch(GUID);
    expect(reader.clientId).toMatch(GUID);
    expect(writer.clientId).not.toBe(reader.clientId);
  });

  it("grants the reader identity's principal Storage Blob Data Reader on the container, and the writer's Contributor", () => {
    const container = answered('azure-native:storage:BlobContainer', 'telemetry-container').id;
    const role = (guid: string) => `/subscriptions/${MOCK_SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
    expect(resource('azure-native:authorization:RoleAssignment', 'telemetry-reader-blob-data').inputs).toMatchObject({
      principalId: answered('azure-native:managedidentity:UserAssignedIdentity', 'telemetry-reader').principalId,
      roleDefinitionId: role(ROLE.blobDataReader),
      scope: container,
    });
    expect(resource('azure-native:authorization:RoleAssignment', 'telemetry-writer-blob-data').inputs).toMatchObject({
      principalId: answered('azure-native:managedidentity:UserAssignedIdentity', 'telemetry-writer').principalId,
      roleDefinitionId: role(ROLE.blobDataContributor),
      scope: container,
    });
  });

  it('runs the devices API on Container Apps with a telemetry reader beside it, reading the telemetry container with its own identity', () => {
    const app = resource('azure-native:app:ContainerApp', 'devices-api-app').inputs;
    const identity = answered('azure-native:managedidentity:UserAssignedIdentity', 'devices-api-identity');
    expect(app.template.containers.map((c: any) => [c.name, c.resources])).toEqual([['api', { cpu: 0.5, memory: '1Gi' }], ['spice-reader', { cpu: 2, memory: '4Gi' }]]);
    expect(app.template.initContainers.map((c: any) => c.image)).toEqual(['busybox:1.36.1']);
    expect(app.configuration.ingress).toMatchObject({ targetPort: 8080, external: false });
    expect(app.configuration.registries).toEqual([{ server: 'acmeregistry.azurecr.io', identity: identity.id }]);
    const reader = app.template.containers[1];
    expect(reader.image).toBe('acmeregistry.azurecr.io/spice-ai/spiceai-enterprise-byol:2.0.1-enterprise');
    expect(reader.env).toContainEqual({ name: 'AZURE_CLIENT_ID', value: identity.clientId });
    const spicepod = app.configuration.secrets.find((s: any) => s.name === 'spice-reader-spicepod').value;
    expect(spicepod).toContain('location: abfss://spice-snapshots@acmetelemetry.dfs.core.windows.net/telemetry/refresh/');
    expect(resource('azure-native:authorization:RoleAssignment', 'devices-api-blob-data').inputs).toMatchObject({
      principalId: identity.principalId,
      scope: answered('azure-native:storage:BlobContainer', 'telemetry-container').id,
      condition: resource('azure-native:authorization:RoleAssignment', 'telemetry-reader-blob-data').inputs.condition,
    });
  });
});
