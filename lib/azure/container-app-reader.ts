// Service submodules only: the package root would load about 270 of them.
import { ContainerApp } from '@pulumi/azure-native/app';
import { RoleAssignment } from '@pulumi/azure-native/authorization';
import { UserAssignedIdentity } from '@pulumi/azure-native/managedidentity';
import type * as inputs from '@pulumi/azure-native/types/input';
import * as pulumi from '@pulumi/pulumi';
import { accessPlan, azureBlobReadCondition, formatWarning, quote, ReaderInstance, storedSplit } from '../core';
import { SpiceReaderContainerAppArgs } from './container-app-args';
import { DEFAULT_HELPER_IMAGE, keyVaultSecretName } from './container-app-checks';
import { CLUSTER_API_KEY_SECRET, ownershipInitContainer, readerContainer, readerFiles, writableVolumes } from './container-app-template';
import { checkArgs } from './container-app-validation';
import { normalizedLocation } from './checks';
import { ReadWriteSplitAzure } from './read-write-split-azure';
import { armSubscriptionOf, BLOB_DATA_READER, blobRoleDefinitionId } from './resource-ids';

export type { ClusterApiKeyRef, ContainerRegistryRef, SpiceReaderContainerAppArgs } from './container-app-args';
export type { ContainerAppAllocation, ContainerAppsEnvironmentType } from './container-app-checks';

/** The Pulumi type token of the component. */
export const SPICE_READER_CONTAINER_APP_TYPE = 'read-write-split:index:SpiceReaderContainerApp';

/** Built-in role: read secret contents (Key Vaults with Azure RBAC). */
const KEY_VAULT_SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';
/** Built-in role: pull images from a container registry. */
const ACR_PULL = '7f951dda-4ed3-4680-a7ca-43fe172d538d';

/** The subscription of a resource id known at deploy time; anything else fails the deployment with the fix. */
function subscriptionOf(id: unknown, path: string, what: string, resource: pulumi.Resource): string {
  const match = typeof id === 'string' ? /^\/subscriptions\/([0-9a-f-]{36})\//i.exec(id) : null;
  if (match) return match[1];
  throw new pulumi.ResourceError(`${path}: ${quote(id)} is not a ${what} resource id, so no role can be assigned on it; use the ${what}'s id, '/subscriptions/<id>/resourceGroups/<rg>/providers/...'`, resource, true);
}

/** A Key Vault secret URL known only at deploy time, checked then: a scope of `<vault>/secrets/` would grant the whole vault's secrets or fail in ARM. */
function secretNameOf(url: unknown, resource: pulumi.Resource): string {
  const secretName = typeof url === 'string' ? keyVaultSecretName(url) : undefined;
  if (secretName) return secretName;
  throw new pulumi.ResourceError(`args.clusterApiKey.secretUrl: ${quote(url)} is not a Key Vault secret URL; use 'https://<vault>.vault.azure.net/secrets/<name>'`, resource, true);
}

/**
 * An application on Azure Container Apps with a Spice reader beside it: the split's reader (its
 * Spicepod, image and sizing, from the cloud-neutral model) as a `spice-reader` sidecar, an init
 * container that hands its EmptyDir volumes to spiced's user, the Spicepod (and the writers' CA)
 * in a Secret volume, and a user-assigned identity with Storage Blob Data Reader on the split's
 * container, kept to the refresh prefix by the same condition as the AKS readers' identity.
 *
 * The reader reads `abfss://` snapshots with the app's managed identity through Container Apps'
 * IDENTITY_ENDPOINT: only Spice 2.0.0-rc.5 and later build the object store from the
 * environment; 1.x images are refused (they ask IMDS, which Container Apps does not serve).
 * The identity belongs to the app (Container Apps has no per-container identity): the app's own
 * container can read the refresh snapshots too, never write them.
 *
 * Container Apps starts main containers together: the app must retry until the reader's
 * `/v1/ready` answers, since nothing orders them.
 *
 * A Spice Cloud split (its description as `split`) restores nothing: the identity gets no storage
 * role, only the Key Vault secret of the app's API key.
 *
 * @throws SplitValidationError before any resource is registered, listing every problem of the args
 */
export class SpiceReaderContainerApp extends pulumi.ComponentResource {
  /** The reader as the model describes it (Spicepod, ports, endpoints). */
  public readonly instance: ReaderInstance;
  /** The app's user-assigned identity. */
  public readonly identity: UserAssignedIdentity;
  public readonly containerApp: ContainerApp;
  /** Where the app reaches the reader. */
  public readonly endpoints: { readonly http: string; readonly flight: string };

  constructor(name: string, args: SpiceReaderContainerAppArgs, opts?: pulumi.ComponentResourceOptions) {
    // Everything is checked before super(): bad input registers no resource at all.
    const { synthesized, instance, reader, app, warnings } = checkArgs(name, args);
    super(SPICE_READER_CONTAINER_APP_TYPE, name, {}, opts);
    for (const warning of warnings) pulumi.log.warn(`${formatWarning(warning)} [ack: ${warning.id}]`, this);
    this.instance = instance;
    this.endpoints = instance.endpoints;
    const { name: splitName, store } = synthesized.split;
    // A Spice Cloud split has no store: its location was required above.
    const location = normalizedLocation(args.location ?? store!.region);
    const containerAppName = args.containerAppName ?? name;
    const tags = args.tags ?? { 'spice-split': splitName };

    this.identity = new UserAssignedIdentity(`${name}-identity`, {
      resourceName: args.identityName ?? `${containerAppName}-spice-reader`,
      resourceGroupName: args.resourceGroupName,
      location,
      tags,
    }, { parent: this });

    const grants: pulumi.Resource[] = [];
    // A Spice Cloud split (checked above) has no container to read.
    const readsSnapshots = args.split instanceof ReadWriteSplitAzure;
    if (args.split instanceof ReadWriteSplitAzure) {
      // Read and list the refresh location only, as the AKS readers' identity.
      const split = storedSplit(synthesized.split, 'SpiceReaderContainerApp');
      const scope = args.split.container.id;
      const condition = azureBlobReadCondition(split.store.bucket, accessPlan(split).reader[0]);
      grants.push(new RoleAssignment(`${name}-blob-data`, {
        principalId: this.identity.principalId,
        principalType: 'ServicePrincipal',
        roleDefinitionId: scope.apply((id) => blobRoleDefinitionId(armSubscriptionOf(id, this), BLOB_DATA_READER)),
        scope,
        description: `Spice reader beside the ${containerAppName} container app (${split.name} split)`,
        ...condition,
      }, { parent: this }));
    }

    const secrets: inputs.app.SecretArgs[] = [...readerFiles(instance).secrets];
    const key = args.clusterApiKey;
    if (instance.delegates && key) {
      secrets.push({ name: CLUSTER_API_KEY_SECRET, keyVaultUrl: key.secretUrl, identity: this.identity.id });
      if (key.keyVaultId !== undefined) {
        const secretScope = pulumi.all([key.keyVaultId, key.secretUrl]).apply(([vault, url]) => `${vault}/secrets/${secretNameOf(url, this)}`);
        grants.push(new RoleAssignment(`${name}-cluster-api-key`, {
          principalId: this.identity.principalId,
          principalType: 'ServicePrincipal',
          roleDefinitionId: pulumi.output(key.keyVaultId).apply((id) => blobRoleDefinitionId(subscriptionOf(id, 'args.clusterApiKey.keyVaultId', 'Key Vault', this), KEY_VAULT_SECRETS_USER)),
          scope: secretScope,
          description: `Spice reader beside the ${containerAppName} container app: ${synthesized.split.store ? "the writers' API key" : "the Spice Cloud app's API key"}`,
        }, { parent: this }));
      }
    }
    (args.containerRegistries ?? []).forEach((registry, i) => {
      grants.push(new RoleAssignment(`${name}-acr-pull-${i}`, {
        principalId: this.identity.principalId,
        principalType: 'ServicePrincipal',
        roleDefinitionId: pulumi.output(registry.registryId).apply((id) => blobRoleDefinitionId(subscriptionOf(id, `args.containerRegistries[${i}].registryId`, 'container registry', this), ACR_PULL)),
        scope: registry.registryId,
        description: `Image pulls of the ${containerAppName} container app`,
      }, { parent: this }));
    });
    const registries: inputs.app.RegistryCredentialsArgs[] = [
      ...(args.containerRegistries ?? []).map((registry) => ({ server: registry.server, identity: this.identity.id })),
      ...(args.registries ?? []),
    ];
    const unexpected = instance.secretEnv.filter((binding) => binding.purpose !== 'cluster-api-key');
    if (unexpected.length > 0) throw new Error(`a reader holds only the cluster API key, not ${unexpected.map((b) => b.envVar).join(', ')}`);

    const userContainer = args.container;
    const ingress = args.ingress === undefined ? undefined : { external: false, allowInsecure: false, ...args.ingress };
    this.containerApp = new ContainerApp(`${name}-app`, {
      containerAppName,
      resourceGroupName: args.resourceGroupName,
      location,
      environmentId: args.managedEnvironmentId,
      workloadProfileName: args.workloadProfileName,
      identity: { type: 'UserAssigned', userAssignedIdentities: [this.identity.id] },
      configuration: {
        activeRevisionsMode: 'Single',
        ingress,
        secrets: [...secrets, ...(args.secrets ?? [])],
        registries: registries.length > 0 ? registries : undefined,
      },
      template: {
        initContainers: [ownershipInitContainer(instance, args.helperImage ?? DEFAULT_HELPER_IMAGE)],
        containers: [
          { ...userContainer, resources: app },
          readerContainer(instance, reader, readsSnapshots ? this.identity.clientId : undefined),
        ],
        volumes: [...writableVolumes(instance).volumes, ...readerFiles(instance).volumes, ...(args.volumes ?? [])],
        // Each new replica restores before it serves, and nothing orders the containers: keep one warm.
        scale: args.scale ?? { minReplicas: 1 },
      },
      tags,
    }, { parent: this, dependsOn: grants });

    this.registerOutputs({
      containerAppName: this.containerApp.name,
      identityClientId: this.identity.clientId,
      identityPrincipalId: this.identity.principalId,
      endpoints: this.endpoints,
    });
  }
}
