// The Azure side of a split as a Pulumi component: the storage account and container, the blob
// private endpoint and the AKS identities. Loads @pulumi/azure-native by service submodule only.
export { ReadWriteSplitAzure } from './read-write-split-azure';
export type { AksClusterRef, AksNodeIdentityRef, BlobPrivateEndpointRef, KubernetesServiceAccountRef, ReadWriteSplitAzureArgs } from './read-write-split-azure';
// An application on Azure Container Apps with a Spice reader sidecar (loads @pulumi/azure-native/app).
export { SpiceReaderContainerApp } from './container-app-reader';
export type { ClusterApiKeyRef, ContainerAppAllocation, ContainerRegistryRef, ContainerAppsEnvironmentType, SpiceReaderContainerAppArgs } from './container-app-reader';
