import * as pulumi from '@pulumi/pulumi';
import { afterEach, beforeEach, describe, expect, it, MockInstance, vi } from 'vitest';
import type { SplitSpec } from '../../lib';
import { ReadWriteSplitAzure, ReadWriteSplitAzureArgs } from '../../lib/azure';
import { MOCK_OIDC_ISSUER, MOCK_SUBSCRIPTION, MOCK_TENANT } from '../../examples/azure/mock-cloud';
import { telemetry } from '../../examples/splits/telemetry';
import { derivedSplit } from '../support/example-splits';
import { GUID, installMocks, named, ofType, recordOptions, Registered, registeredSince, ROLE, sorted, T, valueOf } from './support';

installMocks();

const SUBNET_ID = `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/acme-aks/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/aks-nodes`;
const VNET_ID = `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/acme-aks/providers/Microsoft.Network/virtualNetworks/aks-vnet`;
const HUB_ZONE_ID = `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/acme-hub/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net`;
const CONTAINER_ID = `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/acme-telemetry/providers/Microsoft.Storage/storageAccounts/acmetelemetry/blobServices/default/containers/spice-snapshots`;
const roleId = (guid: string) => `/subscriptions/${MOCK_SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const ARGS: ReadWriteSplitAzureArgs = {
  split: telemetry,
  resourceGroupName: 'acme-telemetry',
  cluster: { location: 'westeurope', oidcIssuerUrl: MOCK_OIDC_ISSUER },
  privateEndpoint: { subnetId: SUBNET_ID },
};

async function deploy(args: Partial<ReadWriteSplitAzureArgs> = {}, name = 'telemetry') {
  const component = new ReadWriteSplitAzure(name, { ...ARGS, ...args }, { transformations: [recordOptions] });
  const resources = await registeredSince();
  return { component, resources };
}

const one = (resources: Registered[], type: string) => {
  const found = ofType(resources, type);
  expect(found, type).toHaveLength(1);
  return found[0];
};
const rules = (resources: Registered[]): Record<string, any>[] => one(resources, T.policy).inputs.policy.rules;

describe('the storage account and container', () => {
  it('registers the account, container, lifecycle policy, private endpoint with its DNS, and two identities', async () => {
    const { resources } = await deploy();
    expect(sorted(resources.map((r) => [r.type, r.name]))).toEqual(sorted([
      [T.component, 'telemetry'],
      [T.account, 'telemetry-account'],
      [T.blobService, 'telemetry-blob-service'],
      [T.container, 'telemetry-container'],
      [T.policy, 'telemetry-lifecycle'],
      [T.endpoint, 'telemetry-blob-endpoint'],
      [T.zone, 'telemetry-blob-dns'],
      [T.link, 'telemetry-blob-dns-link'],
      [T.zoneGroup, 'telemetry-blob-dns-group'],
      [T.identity, 'telemetry-writer'],
      [T.identity, 'telemetry-reader'],
      [T.credential, 'telemetry-writer-fic-telemetry/telemetry-writer'],
      [T.credential, 'telemetry-reader-fic-telemetry/telemetry-reader'],
      [T.role, 'telemetry-writer-blob-data'],
      [T.role, 'telemetry-reader-blob-data'],
    ]));
  });

  it('creates a StorageV2 account in the cluster location, HTTPS and TLS 1.2 only, without shared keys or public access, protected and retained', async () => {
    const { resources } = await deploy({ cluster: { location: 'West Europe', oidcIssuerUrl: MOCK_OIDC_ISSUER } });
    const account = one(resources, T.account);
    expect(account.inputs).toMatchObject({
      accountName: 'acmetelemetry',
      resourceGroupName: 'acme-telemetry',
      location: 'westeurope',
      kind: 'StorageV2',
      sku: { name: 'Standard_ZRS' },
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: 'TLS1_2',
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      publicNetworkAccess: 'Disabled',
      networkRuleSet: { defaultAction: 'Deny' },
    });
    expect(account.protect).toBe(true);
    expect(account.retainOnDelete).toBe(true);
  });

  it('takes the redundancy from accountSku', async () => {
    const { resources } = await deploy({ accountSku: 'Standard_GZRS' });
    expect(one(resources, T.account).inputs.sku).toEqual({ name: 'Standard_GZRS' });
  });

  it('creates a private container, protected and retained, and keeps no soft-deleted snapshot copies', async () => {
    const { resources } = await deploy();
    const container = one(resources, T.container);
    expect(container.inputs).toMatchObject({ accountName: 'acmetelemetry', resourceGroupName: 'acme-telemetry', containerName: 'spice-snapshots', publicAccess: 'None' });
    expect(container.protect).toBe(true);
    expect(container.retainOnDelete).toBe(true);
    expect(one(resources, T.blobService).inputs).toMatchObject({ accountName: 'acmetelemetry', deleteRetentionPolicy: { enabled: false } });
  });

  it('with protect: false, neither protects nor retains the account and container', async () => {
    const { resources } = await deploy({ protect: false });
    for (const type of [T.account, T.container]) {
      expect(one(resources, type).protect, type).toBe(false);
      expect(one(resources, type).retainOnDelete, type).toBe(false);
    }
  });
});

describe('the lifecycle policy', () => {
  it("is the account's 'default' policy, expiring snapshots by prefix from the container in whole days", async () => {
    const { resources } = await deploy({ split: { ...telemetry, retention: { refreshSnapshots: '48h', dailyArchive: '90d' } } });
    const policy = one(resources, T.policy);
    expect(policy.inputs).toMatchObject({ accountName: 'acmetelemetry', managementPolicyName: 'default' });
    const expiry = rules(resources).map((rule) => [rule.definition.filters.prefixMatch, rule.definition.actions.baseBlob.delete.daysAfterModificationGreaterThan]);
    expect(expiry).toEqual([
      [['spice-snapshots/telemetry/refresh/month='], 2],
      [['spice-snapshots/telemetry/archive/month='], 90],
    ]);
  });

  it('keeps the archive by default, never matches metadata.json, and stays within 10 prefixes per rule', async () => {
    const { resources } = await deploy();
    expect(rules(resources).map((rule) => rule.name)).toEqual(['expire-refresh-snapshots', 'expire-daily-archive']);
    for (const rule of rules(resources)) {
      expect(rule).toMatchObject({ type: 'Lifecycle', enabled: true, definition: { filters: { blobTypes: ['blockBlob'] } } });
      const prefixes: string[] = rule.definition.filters.prefixMatch;
      expect(prefixes.length).toBeGreaterThan(0);
      expect(prefixes.length).toBeLessThanOrEqual(10);
      for (const prefix of prefixes) {
        expect(prefix.startsWith('spice-snapshots/')).toBe(true);
        for (const folder of ['refresh', 'archive']) expect(`spice-snapshots/telemetry/${folder}/metadata.json`.startsWith(prefix)).toBe(false);
      }
      expect(Number.isInteger(rule.definition.actions.baseBlob.delete.daysAfterModificationGreaterThan)).toBe(true);
    }
  });

  it("has no archive rule with dailyArchive: 'none'", async () => {
    const { resources } = await deploy({ split: { ...telemetry, retention: { dailyArchive: 'none' } } });
    expect(rules(resources).map((rule) => [rule.name, rule.definition.actions.baseBlob.delete.daysAfterModificationGreaterThan])).toEqual([['expire-refresh-snapshots', 3]]);
  });
});

describe('the blob private endpoint', () => {
  it("puts a blob endpoint in the subnet, and a privatelink.blob zone linked to the subnet's virtual network", async () => {
    const { resources } = await deploy();
    const account = one(resources, T.account);
    expect(one(resources, T.endpoint).inputs).toMatchObject({
      resourceGroupName: 'acme-telemetry',
      location: 'westeurope',
      subnet: { id: SUBNET_ID },
      privateLinkServiceConnections: [{ privateLinkServiceId: account.state.id, groupIds: ['blob'] }],
    });
    const zone = one(resources, T.zone);
    expect(zone.inputs).toMatchObject({ privateZoneName: 'privatelink.blob.core.windows.net', location: 'global' });
    expect(one(resources, T.link).inputs).toMatchObject({ privateZoneName: 'privatelink.blob.core.windows.net', registrationEnabled: false, virtualNetwork: { id: VNET_ID } });
    expect(one(resources, T.zoneGroup).inputs).toMatchObject({
      privateEndpointName: 'telemetry-blob-endpoint',
      privateDnsZoneConfigs: [{ privateDnsZoneId: zone.state.id }],
    });
  });

  it('registers the endpoint in a given zone, and creates no zone or link', async () => {
    const { resources } = await deploy({ privateEndpoint: { subnetId: SUBNET_ID, privateDnsZoneId: HUB_ZONE_ID } });
    expect(ofType(resources, T.zone)).toEqual([]);
    expect(ofType(resources, T.link)).toEqual([]);
    expect(one(resources, T.endpoint).inputs.subnet.id).toBe(SUBNET_ID);
    expect(one(resources, T.zoneGroup).inputs.privateDnsZoneConfigs).toEqual([{ name: 'blob', privateDnsZoneId: HUB_ZONE_ID }]);
  });

  it('creates no endpoint and no DNS when the endpoint is managed elsewhere', async () => {
    const { resources } = await deploy({ privateEndpoint: undefined, privateEndpointManagedElsewhere: true });
    for (const type of [T.endpoint, T.zone, T.link, T.zoneGroup]) expect(ofType(resources, type), type).toEqual([]);
    expect(one(resources, T.account).inputs.publicNetworkAccess).toBe('Disabled');
  });
});

describe('identities on Spice 2.x (AKS Workload Identity)', () => {
  const readers = { readerNamespaces: ['devices', 'shop'], readerServiceAccounts: [{ namespace: 'ops', name: 'batch' }, { namespace: 'shop', name: 'legacy-api' }] };

  it('creates one user-assigned identity per tier, in the cluster location', async () => {
    const { resources } = await deploy();
    expect(sorted(ofType(resources, T.identity).map((i) => [i.name, i.inputs.resourceName, i.inputs.location, i.inputs.resourceGroupName]))).toEqual([
      ['telemetry-reader', 'telemetry-spice-reader', 'westeurope', 'acme-telemetry'],
      ['telemetry-writer', 'telemetry-spice-writer', 'westeurope', 'acme-telemetry'],
    ]);
  });

  it("federates the writer's ServiceAccount and every reader ServiceAccount, with the cluster's issuer", async () => {
    const { resources } = await deploy(readers);
    const credentials = ofType(resources, T.credential).map((c) => [c.inputs.resourceName, c.inputs.subject]);
    expect(sorted(credentials)).toEqual(sorted([
      ['telemetry-spice-writer', 'system:serviceaccount:telemetry:telemetry-writer'],
      ['telemetry-spice-reader', 'system:serviceaccount:devices:telemetry-reader'],
      ['telemetry-spice-reader', 'system:serviceaccount:shop:telemetry-reader'],
      ['telemetry-spice-reader', 'system:serviceaccount:ops:batch'],
      ['telemetry-spice-reader', 'system:serviceaccount:shop:legacy-api'],
    ]));
    for (const credential of ofType(resources, T.credential)) {
      expect(credential.inputs).toMatchObject({ issuer: MOCK_OIDC_ISSUER, audiences: ['api://AzureADTokenExchange'], resourceGroupName: 'acme-telemetry' });
    }
    const names = ofType(resources, T.credential).map((c) => `${c.inputs.resourceName}/${c.inputs.federatedIdentityCredentialResourceName}`);
    expect(new Set(names).size).toBe(names.length);
  });

  it("federates the reader ServiceAccount of the description's reader.namespaces when readerNamespaces is left out", async () => {
    const { resources } = await deploy({ split: { ...telemetry, reader: { ...telemetry.reader, namespaces: ['devices', 'billing'] } } }, 'described');
    const readerSubjects = ofType(resources, T.credential).filter((c) => c.inputs.resourceName === 'telemetry-spice-reader').map((c) => c.inputs.subject);
    expect(readerSubjects.sort()).toEqual(['system:serviceaccount:billing:telemetry-reader', 'system:serviceaccount:devices:telemetry-reader']);
  });

  it('names each credential apart, even for ServiceAccounts whose names read alike', async () => {
    const { resources } = await deploy({
      readerNamespaces: ['shop'],
      readerServiceAccounts: [{ namespace: 'shop-telemetry', name: 'reader' }, { namespace: 'ops', name: 'api.v1' }, { namespace: 'ops', name: 'api-v1' }],
    });
    const names = ofType(resources, T.credential).map((c) => c.inputs.federatedIdentityCredentialResourceName as string);
    expect(new Set(names).size).toBe(5);
    for (const name of names) expect(name).toMatch(/^[a-z0-9][-a-z0-9]{2,119}$/);
    expect(names).toContainEqual(expect.stringMatching(/^shop-telemetry-reader-[0-9a-f]{8}$/));
  });

  it('assigns Storage Blob Data Contributor to the writer and Reader to the reader, on the container only', async () => {
    const { resources } = await deploy(readers);
    const principal = (tier: string) => named(resources, T.identity, `telemetry-${tier}`).state.principalId;
    expect(named(resources, T.container, 'telemetry-container').state.id).toBe(CONTAINER_ID);
    expect(sorted(ofType(resources, T.role).map((r) => r.inputs))).toEqual(sorted([
      expect.objectContaining({ principalId: principal('writer'), roleDefinitionId: roleId(ROLE.blobDataContributor), scope: CONTAINER_ID, principalType: 'ServicePrincipal' }),
      expect.objectContaining({ principalId: principal('reader'), roleDefinitionId: roleId(ROLE.blobDataReader), scope: CONTAINER_ID, principalType: 'ServicePrincipal' }),
    ]));
  });

  it("gives the readers' identity no role but Storage Blob Data Reader, anywhere", async () => {
    const { resources } = await deploy(readers);
    const reader = named(resources, T.identity, 'telemetry-reader').state.principalId;
    const writer = named(resources, T.identity, 'telemetry-writer').state.principalId;
    expect(reader).not.toBe(writer);
    const readerRoles = ofType(resources, T.role).filter((r) => r.inputs.principalId === reader);
    expect(readerRoles.map((r) => r.inputs.roleDefinitionId)).toEqual([roleId(ROLE.blobDataReader)]);
    expect(ofType(resources, T.role).filter((r) => r.inputs.roleDefinitionId !== roleId(ROLE.blobDataReader)).map((r) => r.inputs.principalId)).toEqual([writer]);
  });

  it("holds the readers' role to the refresh location with an ABAC condition: reads and listings under it only, never the archive", async () => {
    const { resources } = await deploy(readers);
    const readerRole = named(resources, T.role, 'telemetry-reader-blob-data').inputs;
    expect(readerRole.conditionVersion).toBe('2.0');
    const read = "ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'}";
    const inContainer = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'spice-snapshots'";
    expect(readerRole.condition).toBe(
      `((!(${read} AND NOT SubOperationMatches{'Blob.List'})) OR (${inContainer} AND @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith 'telemetry/refresh/'))`
      + ` AND ((!(${read} AND SubOperationMatches{'Blob.List'})) OR (${inContainer} AND @Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:prefix] StringStartsWith 'telemetry/refresh/'))`,
    );
    expect(readerRole.condition).not.toContain('archive');
    // The writer's role covers the container it owns (the archiver writes there too).
    expect(named(resources, T.role, 'telemetry-writer-blob-data').inputs.condition).toBeUndefined();
  });

  it("exports the identities' client and tenant ids for the Kubernetes ServiceAccounts", async () => {
    const { component, resources } = await deploy();
    const state = (tier: string) => named(resources, T.identity, `telemetry-${tier}`).state;
    const identities = await valueOf(component.identities);
    expect(identities).toEqual({
      writer: { type: 'azure-workload-identity', clientId: state('writer').clientId, tenantId: MOCK_TENANT },
      reader: { type: 'azure-workload-identity', clientId: state('reader').clientId, tenantId: MOCK_TENANT },
    });
    expect(identities.writer!.type === 'azure-workload-identity' && identities.writer!.clientId).toMatch(GUID);
    expect(component.refreshLocation).toBe('abfss://spice-snapshots@acmetelemetry.dfs.core.windows.net/telemetry/refresh/');
    expect(component.archiveLocation).toBe('abfss://spice-snapshots@acmetelemetry.dfs.core.windows.net/telemetry/archive/');
  });

  it('takes the issuer as an Output', async () => {
    const { resources } = await deploy({ cluster: { location: 'westeurope', oidcIssuerUrl: pulumi.output(MOCK_OIDC_ISSUER) } });
    expect(ofType(resources, T.credential).map((c) => c.inputs.issuer)).toEqual([MOCK_OIDC_ISSUER, MOCK_OIDC_ISSUER]);
  });
});

describe('identities on Spice 1.x (the nodes’ kubelet identity)', () => {
  const KUBELET = '6b1f0c2e-4d3a-4e5f-8a7b-9c0d1e2f3a4b';
  const oss: SplitSpec = derivedSplit(telemetry, { name: 'fleet', image: { tag: '1.11.5' } });
  const deployOss = () => deploy({ split: oss, cluster: { location: 'westeurope' }, nodeIdentity: { principalId: KUBELET } }, 'fleet');
  let warn: MockInstance<typeof pulumi.log.warn>;
  beforeEach(() => { warn = vi.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve()); });
  afterEach(() => warn.mockRestore());

  it('creates no identity or federated credential, and grants Storage Blob Data Contributor to the kubelet identity on the container', async () => {
    const { resources } = await deployOss();
    expect(ofType(resources, T.identity)).toEqual([]);
    expect(ofType(resources, T.credential)).toEqual([]);
    expect(ofType(resources, T.role).map((r) => [r.name, r.inputs])).toEqual([
      ['fleet-nodes-blob-data', expect.objectContaining({ principalId: KUBELET, principalType: 'ServicePrincipal', roleDefinitionId: roleId(ROLE.blobDataContributor), scope: CONTAINER_ID })],
    ]);
    expect(one(resources, T.account).inputs.publicNetworkAccess).toBe('Disabled');
    expect(ofType(resources, T.endpoint)).toHaveLength(1);
  });

  it('exports no identities, and warns that readers share the nodes’ write access', async () => {
    const { component } = await deployOss();
    expect(await valueOf(component.identities)).toEqual({});
    expect(component.identityResources).toBeUndefined();
    expect(warn.mock.calls.map((call) => String(call[0])).filter((m) => m.endsWith('[ack: azure-node-identity]'))).toHaveLength(1);
  });
});
