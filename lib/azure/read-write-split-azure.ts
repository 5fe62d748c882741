// Service submodules only: the package root would load about 270 of them.
import { RoleAssignment } from '@pulumi/azure-native/authorization';
import { FederatedIdentityCredential, UserAssignedIdentity } from '@pulumi/azure-native/managedidentity';
import { PrivateDnsZoneGroup, PrivateEndpoint } from '@pulumi/azure-native/network';
import { PrivateZone, VirtualNetworkLink } from '@pulumi/azure-native/privatedns';
import { BlobContainer, BlobServiceProperties, ManagementPolicy, StorageAccount } from '@pulumi/azure-native/storage';
import * as pulumi from '@pulumi/pulumi';
import {
  accessPlan, azureBlobReadCondition, azureFederatedCredentialName, azureIdentityName, AzureRoleCondition, formatWarning, IdentityTier,
  kubernetesServiceAccountSubject, quote, refuseSpiceCloudWriter, writerShapeOf, SplitIdentities, splitNameOf, SplitSpec, storedSplit, SynthesizedSplit,
} from '../core';
import { checkBooleans, checkPulumiDescription, pulumiFindings, storeRegionOf } from '../pulumi/checks';
import { checkReaderGrantees, Grantee, ReaderGranteeArgs, tierGrantees } from '../pulumi/grantees';
import { checkAccountSku, checkAksCluster, checkCredentialCount, checkNodeIdentity, checkPrivateEndpoint, checkResourceGroup, normalizedLocation } from './checks';
import { managementPolicyRules } from './lifecycle-policy';
import { armSubscriptionOf, blobRoleDefinitionId, BLOB_DATA_CONTRIBUTOR, BLOB_DATA_READER, oidcIssuerOf, virtualNetworkOf } from './resource-ids';

export type { KubernetesServiceAccountRef } from '../pulumi/grantees';

/** The Pulumi type token of the component. */
export const READ_WRITE_SPLIT_AZURE_TYPE = 'read-write-split:index:ReadWriteSplitAzure';

/** The AKS cluster that runs both tiers. */
export interface AksClusterRef {
  /** Location of the cluster, e.g. `westeurope`; the storage account must be in the same one. */
  readonly location: string;
  /**
   * The cluster's OIDC issuer URL, trusted by the federated credentials (Spice 2.x images), e.g.
   * `containerservice.getManagedClusterOutput({...}).oidcIssuerProfile.apply((p) => p!.issuerURL!)`.
   * Refused for Spice 1.x images, which never use Workload Identity.
   *
   * @default - none
   */
  readonly oidcIssuerUrl?: pulumi.Input<string>;
}

/** The blob private endpoint, in a subnet the cluster's nodes reach. */
export interface BlobPrivateEndpointRef {
  /** Resource id of the subnet (e.g. the AKS node subnet); its virtual network gets the DNS zone link. */
  readonly subnetId: pulumi.Input<string>;
  /**
   * An existing `privatelink.blob.core.windows.net` private DNS zone (e.g. a hub's) to register
   * the endpoint in. Without it, the zone and its link to the subnet's virtual network are created.
   *
   * @default - a zone created here
   */
  readonly privateDnsZoneId?: pulumi.Input<string>;
}

/** The nodes' managed identity, which spiced 1.x uses through IMDS. */
export interface AksNodeIdentityRef {
  /** Object (principal) id of the cluster's kubelet identity. */
  readonly principalId: pulumi.Input<string>;
}


/**
 * Arguments of the Azure side of a split. The reader identity trusts one federated credential per
 * reader ServiceAccount (`readerNamespaces`, `readerServiceAccounts`), at most 20 in all.
 */
export interface ReadWriteSplitAzureArgs extends ReaderGranteeArgs {
  /** The split description shared with the cdk8s app (plain values only, no Outputs). Its store must be `cloud: 'azure'`. */
  readonly split: SplitSpec;
  /** Resource group of the storage account, the endpoint and the identities. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** The AKS cluster that runs both tiers. */
  readonly cluster: AksClusterRef;
  /**
   * The blob private endpoint: the account refuses public network access. Give this or
   * `privateEndpointManagedElsewhere`.
   *
   * @default - none
   */
  readonly privateEndpoint?: BlobPrivateEndpointRef;
  /**
   * States that a blob private endpoint for the account, and its DNS, are created elsewhere.
   *
   * @default false
   */
  readonly privateEndpointManagedElsewhere?: boolean;
  /**
   * Spice 1.x only: the kubelet identity, granted Storage Blob Data Contributor on the container.
   * Every pod on the nodes then shares it (readers can write): 1.x reads abfss:// through IMDS only.
   *
   * @default - none (required for 1.x images, refused for 2.x)
   */
  readonly nodeIdentity?: AksNodeIdentityRef;
  /**
   * Redundancy of the storage account.
   *
   * @default 'Standard_ZRS'
   */
  readonly accountSku?: string;
  /**
   * Protect the storage account and container (`protect`) and keep them when they leave the
   * program (`retainOnDelete`).
   *
   * @default true
   */
  readonly protect?: boolean;
}


/**
 * The Azure side of a split, as a Pulumi component: a StorageV2 account in the AKS cluster's
 * location (HTTPS and TLS 1.2 only, no shared keys, no public blob or network access), a private
 * container, the lifecycle policy from the retention plan, a blob private endpoint with its DNS,
 * and the identities: on Spice 2.x two user-assigned identities federated with the writer's and
 * every reader's ServiceAccount (Storage Blob Data Contributor and Reader, on the container only);
 * on Spice 1.x the kubelet identity (Contributor), which is all 1.x can use.
 *
 * `identities` is what the Kubernetes ServiceAccounts carry: export it from the program and read
 * it in the cdk8s app with `readSplitIdentities` (read-write-split/k8s).
 *
 * @throws SplitValidationError before any resource is registered, listing every problem of the description and the args
 */
export class ReadWriteSplitAzure extends pulumi.ComponentResource {
  public readonly synthesized: SynthesizedSplit;
  public readonly account: StorageAccount;
  public readonly container: BlobContainer;
  /** `abfss://` location of the refresh snapshots (the writer's and readers' `snapshots.location`). */
  public readonly refreshLocation: string;
  /** `abfss://` location of the daily archive. */
  public readonly archiveLocation: string;
  /** The user-assigned identities (Spice 2.x images only). */
  public readonly identityResources?: { readonly writer: UserAssignedIdentity; readonly reader: UserAssignedIdentity };
  /**
   * What each tier's Kubernetes ServiceAccounts carry (`azure-workload-identity` with the client
   * and tenant ids); empty for Spice 1.x images, whose pods use the nodes' identity.
   */
  public readonly identities: pulumi.Output<SplitIdentities>;

  constructor(name: string, args: ReadWriteSplitAzureArgs, opts?: pulumi.ComponentResourceOptions) {
    // Everything is checked before super(): a bad description registers no resource at all.
    const findings = pulumiFindings();
    const synthesized = checkPulumiDescription(args?.split, findings);
    const own = findings.under('args');
    // A Spice Cloud writer is told apart even when the description has problems.
    const written = writerShapeOf(synthesized?.split, args?.split);
    if (!args || typeof args !== 'object') {
      own.problem('(split)', `${quote(args)} is not the component's args`, "give { split, resourceGroupName, cluster, privateEndpoint }");
    } else if (written?.writer.spiceCloud) {
      // The rest is about the store and its identities, which a Spice Cloud split has none of.
      refuseSpiceCloudWriter(written, 'ReadWriteSplitAzure', findings.under('split'));
    } else {
      const store = synthesized?.split.store;
      if (store && store.cloud !== 'azure') {
        findings.problem('split.store.cloud', `'${store.cloud}' is not 'azure': this component creates an Azure storage account`, "set store.cloud to 'azure', or use the adapter of the store's cloud");
      }
      // Without a usable image, assume 2.x: the checks then ask for what 2.x needs.
      const workloadIdentity = synthesized?.split.image.capabilities.objectStoreCredentials ?? true;
      checkResourceGroup(args.resourceGroupName, own);
      checkAksCluster(args.cluster, storeRegionOf(args.split, findings), workloadIdentity, own);
      checkPrivateEndpoint(args, own);
      checkNodeIdentity(args.nodeIdentity, workloadIdentity, own);
      checkAccountSku(args.accountSku, own);
      checkReaderGrantees(args, synthesized, own);
      if (workloadIdentity) checkCredentialCount((args.readerNamespaces?.length ?? synthesized?.split.reader.namespaces?.length ?? 1) + (Array.isArray(args.readerServiceAccounts) ? args.readerServiceAccounts.length : 0), own);
      checkBooleans(args as unknown as Record<string, unknown>, ['privateEndpointManagedElsewhere', 'protect'], own);
    }
    findings.throwIfProblems(splitNameOf(args?.split), name);

    super(READ_WRITE_SPLIT_AZURE_TYPE, name, {}, opts);
    // checkSplit returns a split whenever it reports no problem.
    this.synthesized = synthesized!;
    for (const warning of findings.warnings) pulumi.log.warn(`${formatWarning(warning)} [ack: ${warning.id}]`, this);

    // A Spice Cloud split was refused above.
    const split = storedSplit(this.synthesized.split, 'ReadWriteSplitAzure');
    const resourceGroupName = args.resourceGroupName;
    const location = normalizedLocation(args.cluster.location);
    const protect = args.protect ?? true;
    this.refreshLocation = split.store.refresh.uri;
    this.archiveLocation = split.store.archive.uri;
    const tags = { 'spice-split': split.name };

    this.account = new StorageAccount(`${name}-account`, {
      accountName: split.store.account!,
      resourceGroupName,
      location,
      kind: 'StorageV2',
      sku: { name: args.accountSku ?? 'Standard_ZRS' },
      accessTier: 'Hot',
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: 'TLS1_2',
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      allowCrossTenantReplication: false,
      publicNetworkAccess: 'Disabled',
      networkRuleSet: { defaultAction: 'Deny', bypass: 'None' },
      tags,
    }, { parent: this, protect, retainOnDelete: protect });

    new BlobServiceProperties(`${name}-blob-service`, {
      accountName: this.account.name,
      resourceGroupName,
      blobServicesName: 'default',
      // Snapshots are rewritten often: blob soft delete and versions would keep (and bill) every replaced copy.
      deleteRetentionPolicy: { enabled: false },
      isVersioningEnabled: false,
      containerDeleteRetentionPolicy: { enabled: true, days: 7 },
    }, { parent: this });

    this.container = new BlobContainer(`${name}-container`, {
      accountName: this.account.name,
      resourceGroupName,
      containerName: split.store.bucket,
      publicAccess: 'None',
    }, { parent: this, protect, retainOnDelete: protect });

    new ManagementPolicy(`${name}-lifecycle`, {
      accountName: this.account.name,
      resourceGroupName,
      managementPolicyName: 'default',
      policy: { rules: managementPolicyRules(this.synthesized.retention, split.store.bucket) },
    }, { parent: this, dependsOn: [this.container] });

    if (args.privateEndpoint) this.privateEndpoint(name, args.privateEndpoint, resourceGroupName, location, tags);

    if (split.image.capabilities.objectStoreCredentials) {
      const { writers, readers } = tierGrantees(split, args);
      const issuer = pulumi.output(args.cluster.oidcIssuerUrl!).apply((url) => oidcIssuerOf(url, this));
      const writer = this.workloadIdentity(name, 'writer', writers, { resourceGroupName, location, issuer, tags });
      const reader = this.workloadIdentity(name, 'reader', readers, { resourceGroupName, location, issuer, tags });
      this.identityResources = { writer, reader };
      this.identities = pulumi.all([writer.clientId, writer.tenantId, reader.clientId, reader.tenantId]).apply(
        ([writerClient, writerTenant, readerClient, readerTenant]) => ({
          writer: { type: 'azure-workload-identity' as const, clientId: writerClient, tenantId: writerTenant },
          reader: { type: 'azure-workload-identity' as const, clientId: readerClient, tenantId: readerTenant },
        }),
      );
    } else {
      // spiced 1.x: IMDS answers with the nodes' identity, shared by every pod on them.
      this.assign(`${name}-nodes-blob-data`, args.nodeIdentity!.principalId, BLOB_DATA_CONTRIBUTOR, 'Spice 1.x pods (writers and readers) through the kubelet identity');
      this.identities = pulumi.output({});
    }

    this.registerOutputs({
      accountName: this.account.name,
      containerName: this.container.name,
      refreshLocation: this.refreshLocation,
      archiveLocation: this.archiveLocation,
      identities: this.identities,
    });
  }

  /** A tier's user-assigned identity, trusted from its ServiceAccounts, with its role on the container. */
  private workloadIdentity(
    name: string,
    tier: IdentityTier,
    grantees: readonly Grantee[],
    shared: { resourceGroupName: pulumi.Input<string>; location: string; issuer: pulumi.Input<string>; tags: Record<string, string> },
  ): UserAssignedIdentity {
    const split = storedSplit(this.synthesized.split, 'ReadWriteSplitAzure');
    const identity = new UserAssignedIdentity(`${name}-${tier}`, {
      // Waits for the issuer check: a cluster without an issuer gets no identity nobody could use.
      resourceName: pulumi.output(shared.issuer).apply(() => azureIdentityName(split.name, tier)),
      resourceGroupName: shared.resourceGroupName,
      location: shared.location,
      tags: shared.tags,
    }, { parent: this });
    // Azure refuses concurrent writes of credentials on one identity: create them one after another.
    let previous: pulumi.Resource = identity;
    for (const grantee of grantees) {
      previous = new FederatedIdentityCredential(`${name}-${tier}-fic-${grantee.namespace}/${grantee.serviceAccount}`, {
        resourceGroupName: shared.resourceGroupName,
        resourceName: identity.name,
        federatedIdentityCredentialResourceName: azureFederatedCredentialName(grantee.namespace, grantee.serviceAccount),
        issuer: shared.issuer,
        subject: kubernetesServiceAccountSubject(grantee.namespace, grantee.serviceAccount),
        audiences: ['api://AzureADTokenExchange'],
      }, { parent: this, dependsOn: [previous] });
    }
    const description = `Spice ${tier}s of the ${split.name} split (AKS Workload Identity)`;
    if (tier === 'writer') this.assign(`${name}-${tier}-blob-data`, identity.principalId, BLOB_DATA_CONTRIBUTOR, description);
    // Readers read and list the refresh location only: not the daily archive.
    else this.assign(`${name}-${tier}-blob-data`, identity.principalId, BLOB_DATA_READER, description, azureBlobReadCondition(split.store.bucket, accessPlan(split).reader[0]));
    return identity;
  }

  /** A role on the snapshot container only. */
  private assign(resourceName: string, principalId: pulumi.Input<string>, roleGuid: string, description: string, condition?: AzureRoleCondition): RoleAssignment {
    const scope = this.container.id;
    return new RoleAssignment(resourceName, {
      principalId,
      principalType: 'ServicePrincipal',
      roleDefinitionId: scope.apply((id) => blobRoleDefinitionId(armSubscriptionOf(id, this), roleGuid)),
      scope,
      description,
      ...condition,
    }, { parent: this });
  }

  /** The blob private endpoint and its DNS: an existing zone, or a zone linked to the subnet's network. */
  private privateEndpoint(name: string, ref: BlobPrivateEndpointRef, resourceGroupName: pulumi.Input<string>, location: string, tags: Record<string, string>): PrivateEndpoint {
    const endpoint = new PrivateEndpoint(`${name}-blob-endpoint`, {
      resourceGroupName,
      location,
      subnet: { id: ref.subnetId },
      privateLinkServiceConnections: [{ name: 'blob', privateLinkServiceId: this.account.id, groupIds: ['blob'] }],
      tags,
    }, { parent: this });
    let zoneId = ref.privateDnsZoneId;
    if (zoneId === undefined) {
      const zone = new PrivateZone(`${name}-blob-dns`, {
        privateZoneName: 'privatelink.blob.core.windows.net',
        resourceGroupName,
        location: 'global',
        tags,
      }, { parent: this });
      new VirtualNetworkLink(`${name}-blob-dns-link`, {
        privateZoneName: zone.name,
        resourceGroupName,
        location: 'global',
        registrationEnabled: false,
        virtualNetwork: { id: pulumi.output(ref.subnetId).apply((subnetId) => virtualNetworkOf(subnetId, this)) },
        tags,
      }, { parent: this });
      zoneId = zone.id;
    }
    new PrivateDnsZoneGroup(`${name}-blob-dns-group`, {
      resourceGroupName,
      privateEndpointName: endpoint.name,
      privateDnsZoneGroupName: 'default',
      privateDnsZoneConfigs: [{ name: 'blob', privateDnsZoneId: zoneId }],
    }, { parent: this });
    return endpoint;
  }
}
