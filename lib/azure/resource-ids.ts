import * as pulumi from '@pulumi/pulumi';
import { quote } from '../core';
import { SUBNET_ID } from './checks';

/** Built-in role: read, write and delete blobs (and their containers). */
export const BLOB_DATA_CONTRIBUTOR = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe';
/** Built-in role: read and list blobs. */
export const BLOB_DATA_READER = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1';

const ARM_ID = /^\/subscriptions\/([0-9a-f-]{36})\//i;

/** The built-in role's definition id in a subscription (the form ARM returns for role assignments). */
export function blobRoleDefinitionId(subscriptionId: string, roleGuid: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
}

/** The subscription of a resource id known at deploy time; anything else fails the deployment with the fix. */
export function armSubscriptionOf(id: unknown, resource: pulumi.Resource): string {
  const match = typeof id === 'string' ? ARM_ID.exec(id) : null;
  if (match) return match[1];
  throw new pulumi.ResourceError(`the snapshot container's id ${quote(id)} is not an Azure resource id, so no role can be assigned on it; check the provider's configuration (subscriptionId)`, resource, true);
}

/** The virtual network of a subnet id known only at deploy time, checked then. */
export function virtualNetworkOf(subnetId: unknown, resource: pulumi.Resource): string {
  const match = typeof subnetId === 'string' ? SUBNET_ID.exec(subnetId) : null;
  if (match) return match[1];
  throw new pulumi.ResourceError(
    `args.privateEndpoint.subnetId: ${quote(subnetId)} is not a subnet id; use the subnet's resource id: '/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>'`,
    resource,
    true,
  );
}

/** The cluster's OIDC issuer known only at deploy time: a cluster without one has no URL to trust. */
export function oidcIssuerOf(url: unknown, resource: pulumi.Resource): string {
  if (typeof url === 'string' && /^https:\/\/\S+$/.test(url)) return url;
  throw new pulumi.ResourceError(
    `args.cluster.oidcIssuerUrl: ${quote(url)} is not an OIDC issuer URL, so no federated credential can trust the cluster's tokens; `
    + 'enable the issuer and Workload Identity on the cluster (az aks update --enable-oidc-issuer --enable-workload-identity, or oidcIssuerProfile.enabled and securityProfile.workloadIdentity.enabled on the ManagedCluster)',
    resource,
    true,
  );
}
