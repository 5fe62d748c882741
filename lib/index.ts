// The cloud-neutral core: one split description in, Spicepods, retention and sizing out.
// This is the package's public API; everything else under lib/core is internal to the adapters.

// Checking and rendering a description.
export { synthesizeSplit, validateSplit } from './core/synthesize';
export type { SplitValidation, SynthesizedSplit } from './core/synthesize';
export { SPLIT_WARNING_IDS } from './core/split';
export { spicepodToYaml } from './core/spicepod';
export { formatProblem, formatWarning, ReadWriteSplitError, SplitValidationError } from './core/errors';
export type { SplitWarning, ValidationProblem } from './core/errors';

// Upgrades: the lock of the last deployed description, and the check of the next one against it.
export { lockDescription } from './core/synthesize';
export { parseDescriptionLock } from './core/description-lock';
export type { DescriptionLock, LockedDataset, LockedStore } from './core/description-lock';
export { UPGRADE_CHANGE_KINDS } from './core/upgrade-changes';
export type { UpgradeChangeKind } from './core/upgrade-changes';
export type { UpgradeAllowance, UpgradeSpec } from './core/upgrade-check';
export { readDescriptionLock, writeDescriptionLock } from './files/description-lock-file';

// The description.
export type { AnySplitSpec, SpiceCloudSplitSpec, SplitSpec } from './core/split';
export type { ResolvedSpiceCloud, SpiceCloudWriterSpec, SpiceCloudWriterTierSpec } from './core/spice-cloud';
export { SPICE_CLOUD_REGIONS } from './core/spice-cloud';
export type {
  AccelerationEngine, DatasetRefreshSpec, DatasetSnapshotSpec, DatasetSpec, ReaderPlacement, RefreshMode, SnapshotCreationPolicy, SnapshotTrigger,
} from './core/dataset-spec';
export type { AzureSnapshotStoreSpec, GcsSnapshotStoreSpec, S3SnapshotStoreSpec, SnapshotCloud, SnapshotStoreSpec } from './core/snapshot-store';
export type { SpiceEdition, SpiceImageSpec } from './core/spice-image';
export type { SecretRef } from './core/secret-ref';
export type { RetentionSpec } from './core/retention';
export type { BootstrapOnFailure, ReaderTierSpec, ResourceRange, ResourcesSpec, WriterTierSpec } from './core/tiers';
export type { FlightTlsSpec } from './core/flight-tls';
export type { FlightClientCertificateSpec } from './core/flight-client-certificate';

// What synthesizeSplit returns.
export type { ResolvedReader, ResolvedSplit, ResolvedWriter, TierSizing } from './core/split';
export type { Spicepod, SpicepodAcceleration, SpicepodDataset, SpicepodSnapshots, TierSpicepod } from './core/spicepod';
export type { SecretEnvBinding, SecretPurpose } from './core/secret-ref';
export type { RetentionPlan, RetentionRule, ResolvedRetention } from './core/retention';
export type { BucketEstimate } from './core/sizing';
export type { ResolvedSnapshotStore, SnapshotLocation, ParamValue } from './core/snapshot-store';
export type { ResolvedSpiceImage, SpiceCapabilities, SpiceVersion } from './core/spice-image';
export type { ResolvedDataset, ResolvedDatasetSnapshots, ResolvedRefresh } from './core/dataset';
export type { ReaderDatasetForm } from './core/reader-dataset-form';
export type { ResolvedResources } from './core/tiers';

// Sizing each tier and the bucket (the command line's `size`).
export { sizingReport } from './core/sizing-report';
export type {
  BucketDatasetReport, BucketReport, ByteFigure, CountFigure, CpuReport, KnownBytes, KnownCount, LargestDataset, MemoryReport, ReaderReport, SizingReport,
  SizingWarning, SizingWarningId, UnknownCause, UnknownFigure, WriterReport, WriterStorageReport,
} from './core/sizing-report-model';
export type { WriterStorageBasis } from './core/sizing';

// Importing a single-tier Spicepod (the command line's `import`).
export { importSpicepod } from './core/spicepod-import';
export type { ImportedSecret, ImportedSecretKind, ImportNote, SpicepodImport, SpicepodImportOptions } from './core/spicepod-import';

// Identities and the names adapters give the split's objects.
export { awsRoleArn, awsRoleName } from './core/workload-identity';
export type { IdentityTier, WorkloadIdentity } from './core/workload-identity';
export { parseSplitIdentities } from './core/split-identities';
export type { SplitIdentities } from './core/split-identities';
export { readerServiceAccountName, SPICE_PORTS, writerServiceAccountName, writerServiceName } from './core/naming';
export { gcpServiceAccountEmail, gcpServiceAccountId } from './core/naming';

// The reader beside an application off Kubernetes: the model each platform adapter maps (and
// what a platform the library does not cover, e.g. bare metal, can map itself).
export { readerInstance, readerDiskBytes, ownershipFixCommand, readyWaitCommand } from './core/reader-instance';
export type { ReaderFile, ReaderInstance, ReaderInstanceOptions, ReaderPlatform, ReaderWritableDir } from './core/reader-instance';
