import type * as inputs from '@pulumi/azure-native/types/input';
import type * as pulumi from '@pulumi/pulumi';
import type { ContainerAppAllocation, ContainerAppsEnvironmentType } from './container-app-checks';
import type { SpiceCloudSplitSpec } from '../core';
import type { ReadWriteSplitAzure } from './read-write-split-azure';

// The arguments of SpiceReaderContainerApp.

/** An Azure Container Registry the app pulls from with its identity (e.g. a mirror of the Spice Enterprise image). */
export interface ContainerRegistryRef {
  /** Login server, e.g. `acme.azurecr.io`. */
  readonly server: string;
  /** Resource id of the registry: the app's identity is granted AcrPull on it before the app is created. */
  readonly registryId: pulumi.Input<string>;
}

/** The cluster API key in Key Vault, read by Container Apps with the app's identity. */
export interface ClusterApiKeyRef {
  /** The secret's URL, `https://<vault>.vault.azure.net/secrets/<name>` (latest version) or with `/<version>`. */
  readonly secretUrl: pulumi.Input<string>;
  /**
   * The vault's resource id (a vault using Azure RBAC): the app's identity is granted Key Vault
   * Secrets User on this secret only. Without it, grant the identity (`identity.principalId`) read
   * access yourself before the app is created: Container Apps reads the secret when it creates a revision.
   *
   * @default - no grant here
   */
  readonly keyVaultId?: pulumi.Input<string>;
}

/**
 * Arguments of a Container App that runs an application with a Spice reader beside it.
 *
 * CPU and memory: Container Apps gives each container a fixed allocation (no burst above it), and
 * on the Consumption plan the replica's total must be one of Microsoft's combinations (0.25 vCPU
 * per 0.5Gi, up to 4 vCPU / 8Gi, or 2 vCPU / 4Gi in a Consumption-only environment). Give the
 * totals (`cpu`, `memory`: the app gets what the reader leaves), or the app's own
 * `container.resources`.
 */
export interface SpiceReaderContainerAppArgs {
  /**
   * The Azure side of the split: its snapshot container, its description and its image.
   *
   * Or, when the writer is a Spice Cloud app, the split's description (`SpiceCloudSplitSpec`): the
   * reader restores nothing and delegates every dataset to the app over TLS, with the app's API
   * key (`clusterApiKey`, required; the identity reads it from Key Vault). The identity gets no
   * storage role, `location` is required, and the environment needs outbound access on port 443.
   */
  readonly split: ReadWriteSplitAzure | SpiceCloudSplitSpec;
  /** Resource group of the Container App and its identity. */
  readonly resourceGroupName: pulumi.Input<string>;
  /**
   * Resource id of the Container Apps environment; it must reach the storage account's blob
   * private endpoint (a VNet-integrated environment), or, for a Spice Cloud split, the app's
   * public endpoint on 443.
   */
  readonly managedEnvironmentId: pulumi.Input<string>;
  /**
   * The application's container, as you would give it to the Container App: its image, command,
   * env, probes and volume mounts are kept as they are. It must not use the reader's ports
   * (8090, 50051, the metrics port) and reaches the reader at http://127.0.0.1:8090 and
   * grpc://127.0.0.1:50051.
   *
   * Container Apps starts main containers together, with no ordering: the app must retry until
   * the reader's `/v1/ready` answers 200 (or wait for it itself), as nothing holds it back.
   */
  readonly container: inputs.app.ContainerArgs;
  /**
   * The replica's total vCPU (app and reader), with `memory`.
   *
   * @default - the app's `container.resources` plus the reader's
   */
  readonly cpu?: number;
  /**
   * The replica's total memory, e.g. `'4Gi'`, with `cpu`.
   *
   * @default - the app's `container.resources` plus the reader's
   */
  readonly memory?: string;
  /**
   * The reader's allocation.
   *
   * @default - the split's reader limits (cpu 2, memory 4Gi unless the split sets them): Container Apps has no burst above the allocation
   */
  readonly readerResources?: ContainerAppAllocation;
  /**
   * The datasets this application reads.
   *
   * @default - every dataset the split gives readers
   */
  readonly datasets?: string[];
  /**
   * The reader's local disk: the acceleration files of the datasets it restores, part of the
   * replica's ephemeral storage (1-8 GiB by its vCPU). Container Apps' `EmptyDir` volumes have no
   * size: the component checks that this disk fits the replica, nothing enforces it at run time.
   *
   * @default - the description's `reader.localDisk` when given; otherwise twice the expectedSize
   * of the accelerated datasets this reader restores, at least 10Gi (1Gi when it restores none)
   */
  readonly localDisk?: string;
  /**
   * Ports the application listens on besides its ingress target and probe ports (which are read
   * from `ingress` and `container.probes`).
   *
   * @default - none
   */
  readonly appPorts?: number[];
  /**
   * Port of the reader's Prometheus metrics.
   *
   * @default 9090
   */
  readonly metricsPort?: number;
  /**
   * The cluster API key, when the reader delegates datasets to the writers (required then, refused otherwise).
   *
   * @default - none
   */
  readonly clusterApiKey?: ClusterApiKeyRef;
  /**
   * Ingress to the application. `external` defaults to false: reachable inside the environment
   * only. It must not target the reader's ports.
   *
   * @default - no ingress
   */
  readonly ingress?: inputs.app.IngressArgs;
  /**
   * Where Container Apps pulls the Spice image from, without tag or digest: a mirror of the
   * split's image in a registry the app pulls from (`containerRegistries`). The split's tag and
   * digest are kept, so the reader runs the writers' release. An image in AWS ECR (the Enterprise
   * image's AWS Marketplace registry) is refused without it: its tokens last 12 hours.
   *
   * @default - the split's image repository
   */
  readonly imageRepository?: string;
  /**
   * The init container's image: it runs `chown` and `chmod` as root on the reader's EmptyDir
   * volumes, since the spiced image has no shell. busybox's image runs as root; pin it (a tag
   * that does not float, or a digest, e.g. `busybox:1.36.1@sha256:<digest>`).
   *
   * @default 'busybox:1.36.1'
   */
  readonly helperImage?: string;
  /**
   * Workload profile of the environment to run on. Only the Consumption profile's combinations are
   * checked; a Dedicated profile takes any allocation up to its size, checked by Azure.
   *
   * @default - the Consumption plan
   */
  readonly workloadProfileName?: pulumi.Input<string>;
  /**
   * The environment's type: a Consumption-only environment allows at most 2 vCPU / 4Gi per replica.
   *
   * @default 'workload-profiles'
   */
  readonly environmentType?: ContainerAppsEnvironmentType;
  /**
   * Name of the Container App.
   *
   * @default - the component's name
   */
  readonly containerAppName?: string;
  /**
   * Name of the app's user-assigned identity.
   *
   * @default - `<containerAppName>-spice-reader`
   */
  readonly identityName?: string;
  /**
   * Location of the app and its identity (required for a Spice Cloud split, which has no store).
   *
   * @default - the split's store region
   */
  readonly location?: string;
  /**
   * The application's own secrets and volumes (their names must not start with `spice-reader`),
   * registries (e.g. the credentials of a private registry holding the Spice image), scale rules
   * and tags.
   *
   * @default - none
   */
  readonly secrets?: inputs.app.SecretArgs[];
  /** @default - none */
  readonly volumes?: inputs.app.VolumeArgs[];
  /** @default - none */
  readonly registries?: inputs.app.RegistryCredentialsArgs[];
  /**
   * Azure Container Registries pulled with the app's identity, granted AcrPull here: mirror the
   * Spice image there (the Enterprise image's AWS Marketplace ECR takes 12-hour tokens only).
   *
   * @default - none
   */
  readonly containerRegistries?: ContainerRegistryRef[];
  /** @default { minReplicas: 1 } - each new replica restores snapshots before it serves */
  readonly scale?: inputs.app.ScaleArgs;
  /** @default - `{ 'spice-split': <split name> }` */
  readonly tags?: Record<string, string>;
}
