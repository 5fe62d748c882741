import type { SpiceCloudWriterTierSpec } from '../core/spice-cloud';
import type { SnapshotStoreSpec } from '../core/snapshot-store';
import type { SplitSpec as ConstructSplitSpec } from '../core/split';
import type { WriterTierSpec } from '../core/tiers';
import type { ReadWriteSplitAwsProps } from '../aws/read-write-split-aws';
import type { SnapshotBucketEncryption } from '../aws/snapshot-bucket';
import type { ReadWriteSplitChartProps } from '../k8s/split-chart';
import type { SpiceReaderSidecarOptions } from '../k8s/reader-sidecar';
import type { ReaderRestartScheduleProps } from '../k8s/reader-restart-schedule';
import type { ReaderComposeOptions } from '../compose/reader-compose';

// The description file of the command line: the same model as the constructs' props, as plain
// data. schemas/split-file.schema.json is generated from these types (npm run schema), and a test
// keeps the two in sync.

/** An application manifest (a YAML file of a Deployment, StatefulSet or DaemonSet) that gets the reader sidecar. */
export interface ApplicationManifest extends Omit<SpiceReaderSidecarOptions, 'namespace'> {
  /** Path of the manifest, relative to the description file. */
  readonly manifest: string;
  /**
   * The workload that gets the sidecar, by `metadata.name`, when the file holds more than one.
   *
   * @default - the only workload of the file
   */
  readonly workload?: string;
  /**
   * Namespace of the application, when its manifest names none.
   *
   * @default - the workload's `metadata.namespace`
   */
  readonly namespace?: string;
  /**
   * Rolls the application's pods on a schedule (a CronJob written beside it, as
   * `ReaderRestartSchedule` renders it): how readers that cannot hot-swap snapshots (OSS, Spice
   * 1.x: the `no-hot-swap` warning) pick up newer ones.
   *
   * @default - none: readers keep the snapshot they started with until their pods are replaced
   */
  readonly restartSchedule?: ApplicationRestartSchedule;
}

/** A scheduled rolling restart of an application's pods: its cron schedule and a pinned kubectl image. */
export type ApplicationRestartSchedule = Omit<ReaderRestartScheduleProps, 'workload' | 'namespace'>;

/**
 * The Kubernetes manifests of both tiers: the writer cluster, and the applications given the reader
 * sidecar. With `workloads` Helm, each writer role's values are written beside the manifests
 * (`<release>.values.yaml`); a SpicepodSet `crdFile` is read relative to this file.
 */
export interface KubernetesTarget extends Omit<ReadWriteSplitChartProps, 'split' | 'labels' | 'disableResourceNameHashes'> {
  /**
   * Application manifests that get the reader sidecar; each is written out with it.
   *
   * @default - none
   */
  readonly apps?: readonly ApplicationManifest[];
}

/** The snapshot bucket's options on AWS that a file can hold (no key or log bucket objects). */
export interface AwsBucketOptions {
  /**
   * Server-side encryption; `kms` creates a key with rotation.
   *
   * @default 's3-managed'
   */
  readonly encryption?: SnapshotBucketEncryption;
  /**
   * Versioning (old versions expire after a day).
   *
   * @default false
   */
  readonly versioned?: boolean;
}

/** The AWS side: the CloudFormation template of the bucket, its endpoint policy and the tiers' roles. */
export interface AwsTarget extends Omit<ReadWriteSplitAwsProps, 'split' | 'vpc' | 'bucket'> {
  /**
   * The snapshot bucket's options.
   *
   * @default - S3-managed encryption, no versioning
   */
  readonly bucket?: AwsBucketOptions;
  /**
   * Account of the stack (its ARNs name it).
   *
   * @default - unresolved (`${AWS::AccountId}` in the template)
   */
  readonly account?: string;
  /**
   * Name of the CloudFormation stack.
   *
   * @default '<split>-spice-split'
   */
  readonly stackName?: string;
}

/** A Kubernetes ServiceAccount, by namespace and name. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

/** Who else reads the snapshots, as `ReaderGranteeArgs` of the Pulumi components. */
export interface ReaderGrantees {
  /**
   * Namespaces of the applications that run reader sidecars.
   *
   * @default - the split's namespace
   */
  readonly readerNamespaces?: string[];
  /**
   * ServiceAccounts of applications that keep their own and run the reader sidecar.
   *
   * @default - none
   */
  readonly readerServiceAccounts?: ServiceAccountRef[];
}

/** The GCP side (`ReadWriteSplitGcpArgs` as plain data): written as the plan of the Pulumi component. */
export interface GcpTarget extends ReaderGrantees {
  /** The GKE cluster that runs both tiers. */
  readonly cluster: { readonly region: string; readonly project: string; readonly projectNumber: string };
  /**
   * The nodes' subnetwork: its Private Google Access is checked at deploy time.
   *
   * @default - none: give privateGoogleAccessManagedElsewhere instead
   */
  readonly subnetwork?: {
    readonly name: string;
    /** @default - the cluster's region */
    readonly region?: string;
    /**
     * Project of the subnetwork: a Shared VPC's host project.
     *
     * @default - the cluster's project
     */
    readonly project?: string;
  };
  /** @default false */
  readonly privateGoogleAccessManagedElsewhere?: boolean;
  /** @default false */
  readonly impersonateServiceAccounts?: boolean;
  /** @default true */
  readonly grantSourceAccess?: boolean;
  /** @default true */
  readonly protect?: boolean;
  /**
   * A Cloud KMS key the bucket encrypts objects with (CMEK), in the bucket's region.
   *
   * @default - Google-managed encryption keys
   */
  readonly kmsKeyName?: string;
  /**
   * The Cloud Storage service agent already holds the key: no grant is made.
   *
   * @default false
   */
  readonly kmsKeyGrantedElsewhere?: boolean;
}

/** The Azure side (`ReadWriteSplitAzureArgs` as plain data): written as the plan of the Pulumi component. */
export interface AzureTarget extends ReaderGrantees {
  /** Resource group of the storage account, the endpoint and the identities. */
  readonly resourceGroupName: string;
  /** The AKS cluster that runs both tiers. */
  readonly cluster: { readonly location: string; readonly oidcIssuerUrl?: string };
  /**
   * The blob private endpoint's subnet (and an existing private DNS zone).
   *
   * @default - none: give privateEndpointManagedElsewhere instead
   */
  readonly privateEndpoint?: { readonly subnetId: string; readonly privateDnsZoneId?: string };
  /** @default false */
  readonly privateEndpointManagedElsewhere?: boolean;
  /**
   * Spice 1.x only: the kubelet identity's object id.
   *
   * @default - none
   */
  readonly nodeIdentity?: { readonly principalId: string };
  /** @default 'Standard_ZRS' */
  readonly accountSku?: string;
  /** @default true */
  readonly protect?: boolean;
}

/** A reader on a developer's machine (`readerCompose`'s options), written to `compose/<name>/`. */
export interface ComposeReader extends ReaderComposeOptions {
  /** Folder of its `compose.yaml` and the files beside it, under the target's folder: e.g. the application's name. */
  readonly name: string;
}

/** Readers with Docker Compose, on developers' machines (`--target compose`). */
export interface ComposeTarget {
  /**
   * One Compose file each. Each publishes the reader on 127.0.0.1:8090 and :50051: run one at a time on a machine.
   *
   * @minItems 1
   */
  readonly readers: readonly ComposeReader[];
}

/**
 * The description as a file holds it: one shape for both kinds of split (a schema of one object
 * reports a typo at its place, where a union would report every member's mismatch), named as the
 * constructs' `SplitSpec` is. The core refuses `store`, `retention` and the cluster's settings
 * beside `writer.spiceCloud`; the schema asks for `store` without it.
 */
export interface SplitSpec extends Omit<ConstructSplitSpec, 'store' | 'writer'> {
  /**
   * The snapshot bucket both tiers share; required unless `writer.spiceCloud`.
   *
   * @default - none
   */
  readonly store?: SnapshotStoreSpec;
  /**
   * The writer cluster, or (`spiceCloud`) the Spice Cloud app that is the writer.
   *
   * @default - 3 replicas with the seed's sizing
   */
  readonly writer?: WriterTierSpec & Partial<SpiceCloudWriterTierSpec>;
}

/** A split and what to make of it: one file for `read-write-split synth`, `validate` and `size`. */
export interface SplitFile {
  /** The split description, as the constructs' `split` prop. */
  readonly split: SplitSpec;
  /**
   * The Kubernetes side (`--target k8s`).
   *
   * @default - the writer cluster with its defaults, no application
   */
  readonly kubernetes?: KubernetesTarget;
  /**
   * The AWS side (`--target aws`).
   *
   * @default - none: `--target aws` asks for it
   */
  readonly aws?: AwsTarget;
  /**
   * The GCP side (`--target gcp`): the plan of `ReadWriteSplitGcp`.
   *
   * @default - none
   */
  readonly gcp?: GcpTarget;
  /**
   * The Azure side (`--target azure`): the plan of `ReadWriteSplitAzure`.
   *
   * @default - none
   */
  readonly azure?: AzureTarget;
  /**
   * Readers with Docker Compose (`--target compose`): a `compose.yaml` each, as `readerCompose` writes it.
   *
   * @default - none
   */
  readonly compose?: ComposeTarget;
}

/**
 * The file's description as the constructs take it. The file's one shape holds both kinds of
 * split; the constructs tell them apart (`writer.spiceCloud`) and refuse what does not belong.
 */
export function describedSplit(file: SplitFile): ConstructSplitSpec {
  return file.split as ConstructSplitSpec;
}
