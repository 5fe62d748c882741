import { Findings, quote } from '../core';
import { checkPrivatePath } from '../pulumi/checks';

// What the Azure component refuses: values that would deploy but never work, or would be insecure.

export const AZURE_LOCATION = /^[a-z]+[a-z0-9]*$/;
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;
const HTTPS_URL = /^https:\/\/[^\s/]+(\/\S*)?$/;
/** A subnet's ARM id; the virtual network's id is everything before `/subnets/`. */
export const SUBNET_ID = /^(\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w.()]+\/providers\/Microsoft\.Network\/virtualNetworks\/[-\w.]+)\/subnets\/[-\w.]+$/i;
const BLOB_DNS_ZONE_ID = /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w.()]+\/providers\/Microsoft\.Network\/privateDnsZones\/privatelink\.blob\.[a-z0-9.]+$/i;
/** Redundancy options of a StorageV2 account with lifecycle management (premium accounts have none). */
export const ACCOUNT_SKUS = ['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_RAGRS', 'Standard_GZRS', 'Standard_RAGZRS'] as const;
/** Azure trusts at most 20 federated credentials per managed identity. */
export const MAX_FEDERATED_CREDENTIALS = 20;

/** Azure writes locations in lowercase without spaces (`westeurope`); the portal shows `West Europe`. */
export function normalizedLocation(location: string): string {
  return location.toLowerCase().replace(/\s+/g, '');
}

/** The AKS cluster: its location must be the store's; on Spice 2.x its OIDC issuer is needed. */
export function checkAksCluster(cluster: unknown, storeRegion: string | undefined, workloadIdentity: boolean, at: Findings): void {
  const c = cluster as { location?: unknown; oidcIssuerUrl?: unknown } | undefined;
  if (!c || typeof c !== 'object') {
    at.problem('cluster', `${quote(cluster)} is not a cluster`, "give { location, oidcIssuerUrl } of the AKS cluster that runs both tiers");
    return;
  }
  if (typeof c.location !== 'string' || !AZURE_LOCATION.test(normalizedLocation(c.location))) {
    at.problem('cluster.location', at.isLateBound(c.location) ? 'is a Pulumi Output or Promise, but the location must be known to check the storage account against it' : `${quote(c.location)} is not an Azure location`, "write the cluster's location, e.g. 'westeurope'");
  } else if (storeRegion !== undefined && normalizedLocation(c.location) !== storeRegion) {
    at.problem('cluster.location', `${c.location} is not the store's region ${storeRegion}`, 'keep the storage account in the location of the cluster that reads it (split.store.region)');
  }
  if (workloadIdentity) {
    if (c.oidcIssuerUrl === undefined) {
      at.problem('cluster.oidcIssuerUrl', 'is missing: the federated credentials trust the tokens this issuer signs', "give the cluster's issuer, e.g. containerservice.getManagedClusterOutput({ resourceGroupName, resourceName }).oidcIssuerProfile.apply((p) => p!.issuerURL!)");
    } else if (!at.isLateBound(c.oidcIssuerUrl) && (typeof c.oidcIssuerUrl !== 'string' || !HTTPS_URL.test(c.oidcIssuerUrl))) {
      at.problem('cluster.oidcIssuerUrl', `${quote(c.oidcIssuerUrl)} is not an OIDC issuer URL`, "use the cluster's https:// issuer URL (az aks show --query oidcIssuerProfile.issuerUrl)");
    }
  } else if (c.oidcIssuerUrl !== undefined) {
    at.problem('cluster.oidcIssuerUrl', 'is not used: spiced 1.x reads abfss:// locations through the nodes\' managed identity (IMDS), never AKS Workload Identity', 'remove it, or use a Spice 2.x image (split.image) to use Workload Identity');
  }
}

/** A resource group name, when it is plain. */
export function checkResourceGroup(name: unknown, at: Findings): void {
  if (at.isLateBound(name)) return;
  if (typeof name !== 'string' || !RESOURCE_GROUP.test(name)) {
    at.problem('resourceGroupName', `${quote(name)} is not a resource group name`, "use 1-90 letters, digits, '-', '_', '.', '(' and ')', not ending in '.'");
  }
}

/** The private path: a private endpoint in the nodes' subnet, or the statement that one exists. */
export function checkPrivateEndpoint(
  args: { privateEndpoint?: { subnetId?: unknown; privateDnsZoneId?: unknown }; privateEndpointManagedElsewhere?: unknown },
  at: Findings,
): void {
  const given = checkPrivatePath(args, { here: 'privateEndpoint', elsewhere: 'privateEndpointManagedElsewhere' }, {
    missing: {
      message: 'is missing: the storage account refuses public network access, so without a private endpoint no pod can reach it',
      fix: "give { subnetId } of a subnet the cluster's nodes reach (e.g. the node subnet), or set privateEndpointManagedElsewhere: true if you create the blob private endpoint and its DNS yourself",
    },
    bothFix: 'give privateEndpoint (created here) or privateEndpointManagedElsewhere: true, not both',
  }, at);
  if (!given) return;
  const endpoint = args.privateEndpoint;
  if (!endpoint || typeof endpoint !== 'object') {
    at.problem('privateEndpoint', `${quote(endpoint)} is not a private endpoint`, "give { subnetId }, e.g. { subnetId: nodeSubnet.id }");
    return;
  }
  if (!at.isLateBound(endpoint.subnetId) && (typeof endpoint.subnetId !== 'string' || !SUBNET_ID.test(endpoint.subnetId))) {
    at.problem('privateEndpoint.subnetId', `${quote(endpoint.subnetId)} is not a subnet id`, "use the subnet's resource id: '/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>'");
  }
  if (endpoint.privateDnsZoneId !== undefined && !at.isLateBound(endpoint.privateDnsZoneId)
    && (typeof endpoint.privateDnsZoneId !== 'string' || !BLOB_DNS_ZONE_ID.test(endpoint.privateDnsZoneId))) {
    at.problem('privateEndpoint.privateDnsZoneId', `${quote(endpoint.privateDnsZoneId)} is not the id of a privatelink.blob private DNS zone`, "use the zone's resource id ('.../privateDnsZones/privatelink.blob.core.windows.net'), or leave it out to create the zone here");
  }
}

/** Spice 1.x reads the snapshots with the nodes' identity: its principal is required there and refused elsewhere. */
export function checkNodeIdentity(nodeIdentity: unknown, workloadIdentity: boolean, at: Findings): void {
  if (workloadIdentity) {
    if (nodeIdentity !== undefined) {
      at.problem('nodeIdentity', 'is only for spiced 1.x: this image uses AKS Workload Identity, and granting the nodes would let every pod on them write the snapshots', 'remove it');
    }
    return;
  }
  if (nodeIdentity === undefined) {
    at.problem(
      'nodeIdentity',
      "is missing: spiced 1.x opens abfss:// locations with the nodes' managed identity only (IMDS), so nothing else can be granted the container",
      "give { principalId } of the cluster's kubelet identity (identityProfile.kubeletidentity.objectId), or use a Spice 2.x image (split.image) for AKS Workload Identity",
    );
    return;
  }
  const principal = (nodeIdentity as { principalId?: unknown } | null)?.principalId;
  if (!at.isLateBound(principal) && (typeof principal !== 'string' || !/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(principal))) {
    at.problem('nodeIdentity.principalId', `${quote(principal)} is not a principal (object) id`, "use the kubelet identity's objectId (a GUID), not its clientId or resource id");
  }
}

/** The account's redundancy: a StorageV2 standard SKU. */
export function checkAccountSku(sku: unknown, at: Findings): void {
  if (sku !== undefined && !(ACCOUNT_SKUS as readonly unknown[]).includes(sku)) {
    at.problem('accountSku', `${quote(sku)} is not a StorageV2 standard SKU`, `use one of ${ACCOUNT_SKUS.join(', ')}`);
  }
}

/** Each identity trusts at most 20 ServiceAccounts. */
export function checkCredentialCount(readers: number, at: Findings): void {
  if (readers > MAX_FEDERATED_CREDENTIALS) {
    at.problem(
      'readerNamespaces',
      `with readerServiceAccounts names ${readers} reader ServiceAccounts, but a managed identity trusts at most ${MAX_FEDERATED_CREDENTIALS} federated credentials`,
      'group readers into fewer namespaces, or split the applications across two splits',
    );
  }
}
