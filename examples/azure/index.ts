/**
 * Pulumi program: the Azure side of the telemetry example split (storage account and container,
 * lifecycle policy, blob private endpoint, AKS Workload Identity), the devices API on Container
 * Apps beside a telemetry reader, and a reporting app beside a reader of the insights Spice Cloud
 * app (its description is the split: no storage). Deploy with `pulumi up`
 * (Pulumi.yaml beside this file); `npm run synth` runs it under mocks and writes every resource to
 * out/azure/resources.json and the stack outputs to out/azure/stack-outputs.json.
 *
 * The client ids of the identities are Azure's to choose: the cdk8s app (examples/k8s) reads them
 * from `pulumi stack output --json` (the `telemetryIdentities` output), so none is copied by hand.
 */
import { getManagedClusterOutput } from '@pulumi/azure-native/containerservice';
import { ReadWriteSplitAzure, SpiceReaderContainerApp } from 'read-write-split/azure';
import { insights } from '../splits/insights';
import { telemetry } from '../splits/telemetry';

/** The example's subscription, resource groups and AKS cluster. */
export const EXAMPLE_AZURE = {
  subscriptionId: '3f2b6c1e-8d4a-4b7e-9c55-1a2b3c4d5e6f',
  clusterResourceGroup: 'acme-aks',
  clusterName: 'telemetry-aks',
  snapshotResourceGroup: 'acme-telemetry',
  appsResourceGroup: 'acme-apps',
} as const;

const cluster = getManagedClusterOutput({ resourceGroupName: EXAMPLE_AZURE.clusterResourceGroup, resourceName: EXAMPLE_AZURE.clusterName });
const nodeSubnetId = `/subscriptions/${EXAMPLE_AZURE.subscriptionId}/resourceGroups/${EXAMPLE_AZURE.clusterResourceGroup}`
  + '/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/aks-nodes';

export const telemetryAzure = new ReadWriteSplitAzure('telemetry', {
  split: telemetry,
  resourceGroupName: EXAMPLE_AZURE.snapshotResourceGroup,
  cluster: {
    location: telemetry.store.region,
    // An empty issuer fails the deployment with the az command that enables it.
    oidcIssuerUrl: cluster.apply((found) => found.oidcIssuerProfile?.issuerURL ?? ''),
  },
  privateEndpoint: { subnetId: nodeSubnetId },
  readerNamespaces: ['devices'],
});

/** Written to a file with `pulumi stack output --json`: the cdk8s app reads the client ids from it. */
export const telemetryIdentities = telemetryAzure.identities;
export const accountName = telemetryAzure.account.name;
export const refreshLocation = telemetryAzure.refreshLocation;

const armId = (resourceGroup: string, path: string) => `/subscriptions/${EXAMPLE_AZURE.subscriptionId}/resourceGroups/${resourceGroup}/providers/${path}`;

/**
 * The devices API on Container Apps with a telemetry reader beside it, in an environment
 * integrated with the AKS virtual network (so the blob private endpoint resolves). It reads the
 * device models only: the delegated datasets would dial the writers' in-cluster address. The API
 * must retry until http://127.0.0.1:8090/v1/ready answers 200: Container Apps starts both
 * containers at once. Spice 2.x (2.0.0-rc.5 and later) is required: 1.x cannot read abfss:// with
 * a Container Apps managed identity.
 */
export const devicesApi = new SpiceReaderContainerApp('devices-api', {
  split: telemetryAzure,
  datasets: ['device_models'],
  // The Enterprise image mirrored into the registry below (AWS Marketplace ECR tokens last 12 hours).
  imageRepository: 'acmeregistry.azurecr.io/spice-ai/spiceai-enterprise-byol',
  resourceGroupName: EXAMPLE_AZURE.appsResourceGroup,
  managedEnvironmentId: armId(EXAMPLE_AZURE.appsResourceGroup, 'Microsoft.App/managedEnvironments/acme-apps'),
  container: {
    name: 'api',
    image: 'acmeregistry.azurecr.io/devices-api:1.4.2',
    env: [{ name: 'SPICE_HTTP_URL', value: 'http://127.0.0.1:8090' }, { name: 'SPICE_FLIGHT_URL', value: 'grpc://127.0.0.1:50051' }],
    probes: [{ type: 'Readiness', httpGet: { path: '/ready', port: 8080 } }],
  },
  // 0.5 vCPU / 1Gi for the API, the split's reader limits (2 vCPU / 4Gi) for the reader.
  cpu: 2.5,
  memory: '5Gi',
  ingress: { targetPort: 8080 },
  containerRegistries: [{ server: 'acmeregistry.azurecr.io', registryId: armId(EXAMPLE_AZURE.appsResourceGroup, 'Microsoft.ContainerRegistry/registries/acmeregistry') }],
});

export const devicesApiIdentity = devicesApi.identity.clientId;

/**
 * A reporting app on Container Apps beside a reader of the insights Spice Cloud app: it restores
 * nothing and delegates every dataset to the app with the app's API key, which the app's identity
 * reads from Key Vault (its one role assignment: no storage). The environment needs outbound
 * HTTPS to the app's public endpoint; `location` is given, as there is no store region.
 */
export const reporting = new SpiceReaderContainerApp('reporting', {
  split: insights,
  location: 'eastus',
  resourceGroupName: EXAMPLE_AZURE.appsResourceGroup,
  managedEnvironmentId: armId(EXAMPLE_AZURE.appsResourceGroup, 'Microsoft.App/managedEnvironments/acme-apps'),
  container: { name: 'web', image: 'acmeregistry.azurecr.io/reporting-web:2.3.0', probes: [{ type: 'Readiness', httpGet: { path: '/ready', port: 8080 } }] },
  cpu: 2.5,
  memory: '5Gi',
  ingress: { targetPort: 8080 },
  containerRegistries: [{ server: 'acmeregistry.azurecr.io', registryId: armId(EXAMPLE_AZURE.appsResourceGroup, 'Microsoft.ContainerRegistry/registries/acmeregistry') }],
  clusterApiKey: {
    secretUrl: 'https://acme-apps.vault.azure.net/secrets/insights-spice-cloud-api-key',
    keyVaultId: armId(EXAMPLE_AZURE.appsResourceGroup, 'Microsoft.KeyVault/vaults/acme-apps'),
  },
});
