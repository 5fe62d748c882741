import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/run';

/**
 * The public API of every subpath, pinned: what a user can import from the built package. A name
 * added here is a promise; a name removed is a breaking change. Internals stay out.
 */
const PUBLIC_API: Record<string, { values: string[]; types: string[] }> = {
  'index': {
    values: [
      'ReadWriteSplitError', 'SPICE_CLOUD_REGIONS', 'SPICE_PORTS', 'SPLIT_WARNING_IDS', 'SplitValidationError', 'UPGRADE_CHANGE_KINDS', 'awsRoleArn', 'awsRoleName', 'formatProblem', 'formatWarning',
      'gcpServiceAccountEmail', 'gcpServiceAccountId', 'importSpicepod', 'lockDescription', 'ownershipFixCommand', 'parseDescriptionLock', 'parseSplitIdentities', 'readDescriptionLock',
      'readerDiskBytes', 'readerInstance', 'readerServiceAccountName', 'readyWaitCommand', 'sizingReport', 'spicepodToYaml', 'synthesizeSplit', 'validateSplit', 'writeDescriptionLock', 'writerServiceAccountName', 'writerServiceName',
    ],
    types: [
      'AccelerationEngine', 'AnySplitSpec', 'AzureSnapshotStoreSpec', 'BootstrapOnFailure', 'BucketDatasetReport', 'BucketEstimate', 'BucketReport', 'ByteFigure', 'CountFigure',
      'CpuReport', 'DatasetRefreshSpec', 'DatasetSnapshotSpec', 'DatasetSpec', 'DescriptionLock', 'FlightClientCertificateSpec', 'FlightTlsSpec', 'GcsSnapshotStoreSpec',
      'IdentityTier', 'ImportNote', 'ImportedSecret', 'ImportedSecretKind', 'KnownBytes', 'KnownCount', 'LargestDataset', 'LockedDataset', 'LockedStore', 'MemoryReport',
      'ParamValue', 'ReaderDatasetForm', 'ReaderFile', 'ReaderInstance', 'ReaderInstanceOptions', 'ReaderPlacement', 'ReaderPlatform', 'ReaderReport', 'ReaderTierSpec',
      'ReaderWritableDir', 'RefreshMode', 'ResolvedDataset', 'ResolvedDatasetSnapshots',
      'ResolvedReader', 'ResolvedRefresh', 'ResolvedResources', 'ResolvedRetention', 'ResolvedSnapshotStore', 'ResolvedSpiceCloud', 'ResolvedSpiceImage', 'ResolvedSplit', 'ResolvedWriter',
      'ResourceRange', 'ResourcesSpec', 'RetentionPlan', 'RetentionRule', 'RetentionSpec', 'S3SnapshotStoreSpec', 'SecretEnvBinding', 'SecretPurpose', 'SecretRef',
      'SizingReport', 'SizingWarning', 'SizingWarningId', 'SnapshotCloud', 'SnapshotCreationPolicy', 'SnapshotLocation', 'SnapshotStoreSpec', 'SnapshotTrigger',
      'SpiceCapabilities', 'SpiceCloudSplitSpec', 'SpiceCloudWriterSpec', 'SpiceCloudWriterTierSpec', 'SpiceEdition', 'SpiceImageSpec', 'SpiceVersion', 'Spicepod', 'SpicepodAcceleration', 'SpicepodDataset', 'SpicepodImport',
      'SpicepodImportOptions', 'SpicepodSnapshots', 'SplitIdentities', 'SplitSpec', 'SplitValidation', 'SplitWarning', 'SynthesizedSplit', 'TierSizing', 'TierSpicepod',
      'UnknownCause', 'UnknownFigure', 'UpgradeAllowance', 'UpgradeChangeKind', 'UpgradeSpec', 'ValidationProblem', 'WorkloadIdentity', 'WriterReport',
      'WriterStorageBasis', 'WriterStorageReport', 'WriterTierSpec',
    ],
  },
  'k8s/index': {
    values: [
      'HelmWriterRelease', 'LABELS', 'LINK_LOCAL_DNS_RESOLVERS', 'LINK_LOCAL_IDENTITY_ENDPOINTS', 'ReadWriteSplitChart', 'ReaderRestartSchedule', 'SPICEPOD_CHECKSUM_ANNOTATION', 'SPICE_HELM_CHART', 'SpiceReaderSidecar',
      'SpiceWriterCluster', 'SplitObservability', 'WARNING_METADATA', 'readSplitIdentities', 'secretsToCreate',
    ],
    types: [
      'AppPort', 'Archiver', 'ClusterApiKeyExternalSecret', 'EgressEndpoint', 'FlightCertificateIssuer', 'FlightLoadBalancer', 'FlightLoadBalancerCloud', 'HelmWriterReleaseNames', 'HelmWriterReleaseProps', 'HelmWriterWorkloads', 'NodeSpread',
      'ReadWriteSplitChartProps', 'ReaderAttachment', 'ReaderEgressDns', 'ReaderEgressOptions', 'ReaderEgressPeer', 'ReaderEgressPort', 'ReaderEgressRule', 'ReaderRestartScheduleProps',
      'SecretToCreate', 'SidecarMode', 'SpiceChartValues', 'SpiceEnvVar', 'SpicePodSettings', 'SpiceReaderSidecarOptions', 'SpiceReaderSidecarProps', 'SpiceToleration', 'SpiceWriterClusterProps',
      'SpicepodConfigMap', 'SpicepodSetUpdateStrategy', 'SpicepodSetWriter', 'SpicepodSetWriterProps', 'SpicepodSetWriterWorkloads', 'SplitIdentities', 'SplitObservabilityOptions',
      'SplitObservabilityProps', 'WorkloadIdentity', 'WriterClusterOptions', 'WriterPodSettings', 'WriterRoleWorkload', 'WriterStatefulSet', 'WriterUpdateStrategy', 'WriterWorkloads',
    ],
  },
  'aws/index': {
    values: ['ReadWriteSplitAws', 'SpiceReaderFargateTask', 'SpiceSnapshotBucket', 'SpiceWorkloadRole'],
    types: [
      'EksClusterRef', 'EksTrust', 'EksTrustOptions', 'KubernetesServiceAccountRef', 'ReadWriteSplitAwsProps', 'SnapshotBucketEncryption', 'SpiceReaderClusterApiKey', 'SpiceReaderFargateTaskProps',
      'SpiceSnapshotBucketProps', 'SpiceWorkloadRoleProps',
    ],
  },
  'gcp/index': {
    values: ['ReadWriteSplitGcp', 'SpiceReaderCloudRun'],
    types: ['CloudRunIngress', 'CloudRunSecretRef', 'GkeClusterRef', 'GkeSubnetworkRef', 'KubernetesServiceAccountRef', 'ReadWriteSplitGcpArgs', 'SpiceReaderCloudRunArgs'],
  },
  'azure/index': {
    values: ['ReadWriteSplitAzure', 'SpiceReaderContainerApp'],
    types: [
      'AksClusterRef', 'AksNodeIdentityRef', 'BlobPrivateEndpointRef', 'ClusterApiKeyRef', 'ContainerAppAllocation', 'ContainerAppsEnvironmentType', 'ContainerRegistryRef',
      'KubernetesServiceAccountRef', 'ReadWriteSplitAzureArgs', 'SpiceReaderContainerAppArgs',
    ],
  },
  'compose/index': {
    values: ['COMPOSE_SERVICES', 'DEFAULT_HELPER_IMAGE', 'DEFAULT_READY_TIMEOUT_SECONDS', 'GCP_CREDENTIALS_PATH', 'composeYaml', 'readerCompose'],
    types: ['ComposeFile', 'ComposeMount', 'ComposePort', 'ComposeService', 'ReaderCompose', 'ReaderComposeOptions'],
  },
};

/** Every name a module's declarations export, read by the TypeScript compiler as a consumer's would. */
function declaredExports(file: string): string[] {
  const program = ts.createProgram([file], { skipLibCheck: true, types: [], noEmit: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!);
  return module ? checker.getExportsOfModule(module).map((symbol) => symbol.name).sort() : [];
}

describe('the public API of the built package', () => {
  it.each(Object.keys(PUBLIC_API))('%s exports exactly the pinned names', (subpath) => {
    const values = Object.keys(require(join(ROOT, 'dist', `${subpath}.js`))).sort();
    const declared = declaredExports(join(ROOT, 'dist', `${subpath}.d.ts`));
    expect(values).toEqual(PUBLIC_API[subpath].values);
    expect(declared.filter((name) => !values.includes(name))).toEqual(PUBLIC_API[subpath].types);
  });

  it('keeps the internals out', () => {
    const all = Object.values(PUBLIC_API).flatMap((api) => [...api.values, ...api.types]);
    for (const internal of ['Findings', 'quote', 'compact', 'resolveDataset', 'spicePodTemplate', 'sidecarProblems', 'grantPrefix', 'lifecycleRules', 'regionProblems']) {
      expect(all).not.toContain(internal);
    }
  });
});
