import { mockAzureCall, mockAzureResource } from '../../examples/azure/mock-cloud';
import { installCloudMocks, Registered } from '../support/pulumi-mocks';

export { recordOptions, registeredSince, registeredUrns, valueOf } from '../support/pulumi-mocks';
export type { Registered } from '../support/pulumi-mocks';

/**
 * Installs the Pulumi mocks, answered as the example's mocked Azure answers (ARM ids, identities'
 * client, principal and tenant ids).
 */
export function installMocks(): void {
  installCloudMocks({ resource: mockAzureResource, call: mockAzureCall });
}

/** The resources of one type. */
export function ofType(resources: readonly Registered[], type: string): Registered[] {
  return resources.filter((r) => r.type === type);
}

/** The one resource of a type and name. */
export function named(resources: readonly Registered[], type: string, name: string): Registered {
  const found = resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} ${name} in ${resources.map((r) => `${r.type} ${r.name}`).join(', ')}`);
  return found;
}

/** Registration order follows when inputs resolve: compare as sets. */
export const sorted = <T>(items: T[]): T[] => [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** Azure built-in roles the component assigns. */
export const ROLE = {
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  blobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
} as const;

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Resource types of azure-native the component registers. */
export const T = {
  component: 'read-write-split:index:ReadWriteSplitAzure',
  account: 'azure-native:storage:StorageAccount',
  blobService: 'azure-native:storage:BlobServiceProperties',
  container: 'azure-native:storage:BlobContainer',
  policy: 'azure-native:storage:ManagementPolicy',
  endpoint: 'azure-native:network:PrivateEndpoint',
  zone: 'azure-native:privatedns:PrivateZone',
  link: 'azure-native:privatedns:VirtualNetworkLink',
  zoneGroup: 'azure-native:network:PrivateDnsZoneGroup',
  identity: 'azure-native:managedidentity:UserAssignedIdentity',
  credential: 'azure-native:managedidentity:FederatedIdentityCredential',
  role: 'azure-native:authorization:RoleAssignment',
} as const;
