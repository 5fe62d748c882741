import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it, vi } from 'vitest';
import { ReadWriteSplitAzure } from '../../lib/azure';
import { MOCK_OIDC_ISSUER, MOCK_SUBSCRIPTION } from '../../examples/azure/mock-cloud';
import { telemetry } from '../../examples/splits/telemetry';
import { derivedSplit } from '../support/example-splits';
import { installMocks, registeredSince, registeredUrns } from './support';

installMocks();

const TYPE = 'urn:pulumi:stack::project::read-write-split:index:ReadWriteSplitAzure';
const SUBNET_ID = `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/acme-aks/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/aks-nodes`;

/**
 * The URNs of the example's resources, frozen: a changed URN makes `pulumi up` replace the
 * resource. The storage account and container hold every snapshot and are protected, so a new URN
 * fails the update (or, unprotected, deletes the snapshots); an identity replaced gets a new client
 * id that every ServiceAccount annotation must follow; a role assignment or federated credential
 * replaced cuts access while it is re-created.
 */
describe('frozen URNs', () => {
  it('keeps the URN of every resource of the telemetry example', async () => {
    new ReadWriteSplitAzure('telemetry', {
      split: telemetry,
      resourceGroupName: 'acme-telemetry',
      cluster: { location: 'westeurope', oidcIssuerUrl: MOCK_OIDC_ISSUER },
      privateEndpoint: { subnetId: SUBNET_ID },
      readerNamespaces: ['devices'],
    });
    await registeredSince();
    expect(registeredUrns()).toEqual([
      `${TYPE}$azure-native:authorization:RoleAssignment::telemetry-reader-blob-data`,
      `${TYPE}$azure-native:authorization:RoleAssignment::telemetry-writer-blob-data`,
      `${TYPE}$azure-native:managedidentity:FederatedIdentityCredential::telemetry-reader-fic-devices/telemetry-reader`,
      `${TYPE}$azure-native:managedidentity:FederatedIdentityCredential::telemetry-writer-fic-telemetry/telemetry-writer`,
      `${TYPE}$azure-native:managedidentity:UserAssignedIdentity::telemetry-reader`,
      `${TYPE}$azure-native:managedidentity:UserAssignedIdentity::telemetry-writer`,
      `${TYPE}$azure-native:network:PrivateDnsZoneGroup::telemetry-blob-dns-group`,
      `${TYPE}$azure-native:network:PrivateEndpoint::telemetry-blob-endpoint`,
      `${TYPE}$azure-native:privatedns:PrivateZone::telemetry-blob-dns`,
      `${TYPE}$azure-native:privatedns:VirtualNetworkLink::telemetry-blob-dns-link`,
      `${TYPE}$azure-native:storage:BlobContainer::telemetry-container`,
      `${TYPE}$azure-native:storage:BlobServiceProperties::telemetry-blob-service`,
      `${TYPE}$azure-native:storage:ManagementPolicy::telemetry-lifecycle`,
      `${TYPE}$azure-native:storage:StorageAccount::telemetry-account`,
      `${TYPE}::telemetry`,
    ]);
  });

  it('keeps the URNs of a Spice 1.x split, whose kubelet identity gets the role', async () => {
    const warn = vi.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
    const before = new Set(registeredUrns());
    new ReadWriteSplitAzure('fleet', {
      split: derivedSplit(telemetry, { name: 'fleet', image: { tag: '1.11.5' }, store: { ...telemetry.store, account: 'acmefleet' } }),
      resourceGroupName: 'acme-fleet',
      cluster: { location: 'westeurope' },
      privateEndpointManagedElsewhere: true,
      nodeIdentity: { principalId: '6b1f0c2e-4d3a-4e5f-8a7b-9c0d1e2f3a4b' },
    });
    await registeredSince();
    warn.mockRestore();
    expect(registeredUrns().filter((urn) => !before.has(urn))).toEqual([
      `${TYPE}$azure-native:authorization:RoleAssignment::fleet-nodes-blob-data`,
      `${TYPE}$azure-native:storage:BlobContainer::fleet-container`,
      `${TYPE}$azure-native:storage:BlobServiceProperties::fleet-blob-service`,
      `${TYPE}$azure-native:storage:ManagementPolicy::fleet-lifecycle`,
      `${TYPE}$azure-native:storage:StorageAccount::fleet-account`,
      `${TYPE}::fleet`,
    ]);
  });
});
