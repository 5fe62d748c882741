import type * as pulumi from '@pulumi/pulumi';
import type { cloudrunv2 } from '@pulumi/gcp/types/input';
import type { SpiceCloudSplitSpec } from '../core';
import type { ReadWriteSplitGcp } from './read-write-split-gcp';

/** A Secret Manager secret version, as Cloud Run reads it into an environment variable. */
export interface CloudRunSecretRef {
  /** The secret: its id in the service's project (`spice-cluster-api-key`) or `projects/<project>/secrets/<id>`. */
  readonly secret: pulumi.Input<string>;
  /**
   * The version: a number, or `latest` (each new instance reads the newest, so a rotated key needs no deployment).
   *
   * @default 'latest'
   */
  readonly version?: pulumi.Input<string>;
}

/** Who reaches the service: Cloud Run's ingress settings. */
export type CloudRunIngress = 'INGRESS_TRAFFIC_INTERNAL_ONLY' | 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' | 'INGRESS_TRAFFIC_ALL';

/** Arguments of a Spice reader beside an application on Cloud Run. */
export interface SpiceReaderCloudRunArgs {
  /**
   * The GCP side of the split: the reader restores its snapshots from that bucket.
   *
   * Or, when the writer is a Spice Cloud app, the split's description (`SpiceCloudSplitSpec`): the
   * reader restores nothing and delegates every dataset to the app over TLS, with the app's API
   * key (`clusterApiKey`, required). Its service account gets no storage grant, and it needs no
   * `vpcAccess` (the app's endpoint is public: with `egress: 'ALL_TRAFFIC'`, give the VPC Cloud NAT).
   */
  readonly split: ReadWriteSplitGcp | SpiceCloudSplitSpec;
  /**
   * Name of the Cloud Run service: 1-49 lowercase letters, digits and '-', starting with a letter.
   *
   * @default - the component's name
   */
  readonly serviceName?: string;
  /** Project id of the service (plain: it names the service account and the secrets). */
  readonly project: string;
  /** Region of the service, e.g. `europe-west4`; keep it the store's region, or every restore crosses regions. */
  readonly location: string;
  /**
   * The application: the ingress container. Its port (`ports.containerPort`, 8080 when not set)
   * must not be one of the reader's (8090, 50051, the metrics port). It starts once the reader
   * is ready (`dependsOns: ['spice-reader']` is added) and reaches it at `127.0.0.1:8090` (HTTP)
   * and `127.0.0.1:50051` (Arrow Flight).
   */
  readonly app: cloudrunv2.ServiceTemplateContainer;
  /**
   * The repository Cloud Run pulls the reader image from, e.g. a copy of the split's image in
   * Artifact Registry (a remote repository in front of it): Cloud Run holds no credentials for
   * another cloud's private registry. The tag (and digest) stay the split's, so the reader runs
   * the writers' Spice version.
   *
   * @default - the split's image repository
   */
  readonly imageRepository?: string;
  /**
   * The datasets this application reads.
   *
   * @default - every dataset the split gives readers
   */
  readonly datasets?: readonly string[];
  /**
   * The reader's local disk: the acceleration files of the datasets it restores. Cloud Run keeps
   * them in an in-memory volume, so the reader's memory limit (and the instance's bill) grows by it:
   * a reader of a few small datasets can be given less than the derived 10Gi floor.
   *
   * @default - the description's `reader.localDisk` when given; otherwise twice the expectedSize
   * of the accelerated datasets this reader restores, at least 10Gi (1Gi when it restores none)
   */
  readonly localDisk?: string;
  /**
   * Port of the reader's Prometheus metrics.
   *
   * @default 9090
   */
  readonly metricsPort?: number;
  /**
   * The cluster API key (a Spice Cloud app's API key) in Secret Manager, read into the reader's
   * environment. Required when the reader delegates a dataset to the writers, refused otherwise
   * (a reader holds no other secret).
   *
   * @default - none
   */
  readonly clusterApiKey?: CloudRunSecretRef;
  /**
   * Direct VPC egress (`networkInterfaces`) or a connector. Required when the reader delegates to
   * a writer cluster: the writers' Flight endpoint is an internal address.
   *
   * @default - none: the instance reaches Google APIs only
   */
  readonly vpcAccess?: pulumi.Input<cloudrunv2.ServiceTemplateVpcAccess>;
  /**
   * Who reaches the service.
   *
   * @default 'INGRESS_TRAFFIC_INTERNAL_ONLY'
   */
  readonly ingress?: CloudRunIngress;
  /**
   * An existing service account to run the revision as; it is granted the reader's access.
   *
   * @default - a service account created for this service
   */
  readonly serviceAccountEmail?: pulumi.Input<string>;
  /**
   * Instance counts. Every new instance restores the snapshots before it serves, so scaling to
   * zero makes the first request wait for a restore.
   *
   * @default { minInstanceCount: 1 }
   */
  readonly scaling?: pulumi.Input<cloudrunv2.ServiceTemplateScaling>;
}

/** Name of the reader's container: the application's `dependsOns` names it. */
export const READER_CONTAINER = 'spice-reader';
/** The application's container name when it has none (Cloud Run needs names once there are two). */
export const DEFAULT_APP_CONTAINER = 'app';
/** Cloud Run's port when the ingress container names none. */
export const DEFAULT_APP_PORT = 8080;
/** Cloud Run's per-container defaults when the application sets no limits. */
export const DEFAULT_APP_LIMITS = { cpu: '1', memory: '512Mi' } as const;
/** Cloud Run's maxima per instance (all containers together). */
export const CLOUD_RUN_MAX = { memoryBytes: 32 * 2 ** 30, cpu: 8 } as const;
/** Cloud Run's startup probe may take at most this long in all (failureThreshold × periodSeconds). */
export const STARTUP_BUDGET_SECONDS = 240;
export const INGRESS_VALUES: readonly CloudRunIngress[] = ['INGRESS_TRAFFIC_INTERNAL_ONLY', 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER', 'INGRESS_TRAFFIC_ALL'];
