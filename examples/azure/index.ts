/**
 * Pulumi program: the Azure side of the telemetry example split (storage account and container,
 * lifecycle policy, blob private endpoint, AKS Workload Identity). Deploy with `pulumi up`
 * (Pulumi.yaml beside this file); `npm run synth` runs it under mocks and writes every resource to
 * out/azure/resources.json and the stack outputs to out/azure/stack-outputs.json.
 *
 * The client ids of the identities are Azure's to choose: the cdk8s app (examples/k8s) reads them
 * from `pulumi stack output --json` (the `telemetryIdentities` output), so none is copied by hand.
 */
import { getManagedClusterOutput } from '@pulumi/azure-native/containerservice';
import { ReadWriteSplitAzure } from 'read-write-split/azure';
import { telemetry } from '../splits/telemetry';

/** The example's subscription, resource groups and AKS cluster. */
export const EXAMPLE_AZURE = {
  subscriptionId: '3f2b6c1e-8d4a-4b7e-9c55-1a2b3c4d5e6f',
  clusterResourceGroup: 'acme-aks',
  clusterName: 'telemetry-aks',
  snapshotResourceGroup: 'acme-telemetry',
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
