import { createHash } from 'node:crypto';

/**
 * What Azure would answer for the example's resources under Pulumi mocks: ARM ids, the names a
 * resource is known by, and the identities' generated client, principal and tenant ids
 * (deterministic fakes: the same program always gets the same ids).
 */
export const MOCK_SUBSCRIPTION = '3f2b6c1e-8d4a-4b7e-9c55-1a2b3c4d5e6f';
export const MOCK_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const MOCK_OIDC_ISSUER = 'https://westeurope.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/6f1c2a3b-0000-4000-8000-000000000001/';

/** A GUID derived from a seed. */
export function fakeGuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const ARM_PATHS: Record<string, (inputs: Record<string, any>) => string> = {
  'azure-native:storage:StorageAccount': (i) => `Microsoft.Storage/storageAccounts/${i.accountName}`,
  'azure-native:storage:BlobContainer': (i) => `Microsoft.Storage/storageAccounts/${i.accountName}/blobServices/default/containers/${i.containerName}`,
  'azure-native:storage:BlobServiceProperties': (i) => `Microsoft.Storage/storageAccounts/${i.accountName}/blobServices/default`,
  'azure-native:storage:ManagementPolicy': (i) => `Microsoft.Storage/storageAccounts/${i.accountName}/managementPolicies/default`,
  'azure-native:managedidentity:UserAssignedIdentity': (i) => `Microsoft.ManagedIdentity/userAssignedIdentities/${i.resourceName}`,
  'azure-native:network:PrivateEndpoint': (i) => `Microsoft.Network/privateEndpoints/${i.privateEndpointName ?? 'endpoint'}`,
  'azure-native:privatedns:PrivateZone': (i) => `Microsoft.Network/privateDnsZones/${i.privateZoneName}`,
  'azure-native:app:ContainerApp': (i) => `Microsoft.App/containerApps/${i.containerAppName}`,
};

/** The state Azure returns for a created resource: its inputs plus what the service computes. */
export function mockAzureResource(type: string, name: string, inputs: Record<string, any>): { id: string; state: Record<string, unknown> } {
  const path = ARM_PATHS[type]?.(inputs) ?? `Microsoft.Mock/${encodeURIComponent(name)}`;
  const id = `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${inputs.resourceGroupName ?? 'mock'}/providers/${path}`;
  const state: Record<string, unknown> = { ...inputs, id, name: inputs.accountName ?? inputs.containerName ?? inputs.resourceName ?? inputs.privateZoneName ?? name };
  if (type === 'azure-native:storage:BlobContainer') state.name = inputs.containerName;
  if (type === 'azure-native:network:PrivateEndpoint') state.name = inputs.privateEndpointName ?? name;
  if (type === 'azure-native:managedidentity:UserAssignedIdentity') {
    Object.assign(state, { clientId: fakeGuid(`client ${id}`), principalId: fakeGuid(`principal ${id}`), tenantId: MOCK_TENANT });
  }
  return { id, state };
}

/** What the example's lookups return: an AKS cluster with its OIDC issuer enabled. */
export function mockAzureCall(token: string, inputs: Record<string, any>): Record<string, unknown> {
  if (token === 'azure-native:containerservice:getManagedCluster') {
    return { ...inputs, location: 'westeurope', oidcIssuerProfile: { enabled: true, issuerURL: MOCK_OIDC_ISSUER } };
  }
  throw new Error(`the example makes no ${token} call`);
}
