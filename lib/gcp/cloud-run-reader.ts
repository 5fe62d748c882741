// One file per resource rather than the service's index (see read-write-split-gcp.ts).
import { Service } from '@pulumi/gcp/cloudrunv2/service';
import { Secret } from '@pulumi/gcp/secretmanager/secret';
import { SecretIamMember } from '@pulumi/gcp/secretmanager/secretIamMember';
import { SecretVersion } from '@pulumi/gcp/secretmanager/secretVersion';
import { Account } from '@pulumi/gcp/serviceaccount/account';
import { BucketIAMMember } from '@pulumi/gcp/storage/bucketIAMMember';
import * as pulumi from '@pulumi/pulumi';
import { accessPlan, formatWarning, gcsPrefixCondition, ReaderFile, ReaderInstance, storedSplit } from '../core';
import { appContainer, fileSecretId, FileSecret, readerAccountId, readerContainer, readerContainerMemoryBytes, readerVolumes } from './cloud-run-containers';
import { SpiceReaderCloudRunArgs } from './cloud-run-reader-args';
import { checkCloudRunReader } from './cloud-run-reader-checks';
import { READER_ROLE } from './read-write-split-gcp';

export type { CloudRunIngress, CloudRunSecretRef, SpiceReaderCloudRunArgs } from './cloud-run-reader-args';

/** The Pulumi type token of the component. */
export const SPICE_READER_CLOUD_RUN_TYPE = 'read-write-split:index:SpiceReaderCloudRun';

/** Role on the secrets the revision reads: its files and the cluster API key, each granted on that secret only. */
export const SECRET_READER_ROLE = 'roles/secretmanager.secretAccessor';

/**
 * A Spice reader beside an application on Cloud Run: one `cloudrunv2.Service` whose ingress
 * container is the application and whose `spice-reader` sidecar is the split's reader (the same
 * Spicepod, image and sizing as the Kubernetes sidecar, from the core's `readerInstance`).
 *
 * - The revision runs as its own service account (or `serviceAccountEmail`), granted
 *   `roles/storage.objectViewer` on the split's bucket under the refresh snapshots only (the IAM
 *   condition the GKE readers get), and `roles/secretmanager.secretAccessor` on the secrets it reads.
 * - The Spicepod (and the writers' CA when the reader delegates over TLS) is a Secret Manager
 *   secret mounted as a file: it holds no credentials, but Secret Manager is how Cloud Run
 *   delivers files, and each change is a new version, so a new revision.
 * - spiced writes to in-memory volumes (acceleration files, HOME, scratch). They count against the
 *   reader's memory, so its memory limit is the split's reader memory limit plus their sizes; the
 *   instance must fit Cloud Run's 32 GiB.
 * - A Spice Cloud split (its description as `split`) restores nothing: no bucket grant, no VPC
 *   egress needed; the reader holds only the app's API key.
 * - The application starts once the reader answers `/v1/ready` (its startup probe). Cloud Run
 *   gives a startup probe 240 s in all: a first restore that takes longer restarts the instance.
 *
 * @throws SplitValidationError before any resource is registered, listing every problem of the args
 */
export class SpiceReaderCloudRun extends pulumi.ComponentResource {
  /** The reader as the core models it (plain values): Spicepod, ports, sizing. */
  public readonly instance: ReaderInstance;
  public readonly service: Service;
  /** The service account the revision runs as. */
  public readonly serviceAccountEmail: pulumi.Output<string>;
  /** The service's URL. */
  public readonly uri: pulumi.Output<string>;
  /** Where the application reaches the reader: `http://127.0.0.1:8090`, `grpc://127.0.0.1:50051`. */
  public readonly endpoints: ReaderInstance['endpoints'];

  constructor(name: string, args: SpiceReaderCloudRunArgs, opts?: pulumi.ComponentResourceOptions) {
    // Everything is checked before super(): bad args register no resource at all.
    const { synthesized, instance, serviceName, image, warnings } = checkCloudRunReader(name, args);
    super(SPICE_READER_CLOUD_RUN_TYPE, name, {}, opts);
    for (const warning of warnings) pulumi.log.warn(`${formatWarning(warning)} [ack: ${warning.id}]`, this);
    this.instance = instance;
    this.endpoints = instance.endpoints;
    const { project, location } = args;
    const labels = { 'spice-split': synthesized.split.name };

    this.serviceAccountEmail = args.serviceAccountEmail === undefined
      ? new Account(`${name}-reader`, {
        accountId: readerAccountId(serviceName, location),
        project,
        displayName: `Spice reader of ${serviceName}`,
        description: synthesized.split.store
          ? `Read-only access to the ${synthesized.split.name} Spice snapshots (Cloud Run service ${serviceName} in ${location})`
          : `Spice reader of the ${synthesized.split.name} Spice Cloud app: no storage grant (Cloud Run service ${serviceName} in ${location})`,
      }, { parent: this }).email
      : pulumi.output(args.serviceAccountEmail);
    const member = pulumi.interpolate`serviceAccount:${this.serviceAccountEmail}`;
    const grants: pulumi.Resource[] = [];
    // A Spice Cloud split's description (checked above) has no bucket to grant.
    if ('bucketName' in args.split) {
      // The reader's grant, held to the refresh snapshots as the GKE readers' is.
      const stored = storedSplit(synthesized.split, 'SpiceReaderCloudRun');
      const condition = gcsPrefixCondition(stored.store.bucket, accessPlan(stored).reader[0]);
      grants.push(new BucketIAMMember(`${name}-snapshots`, { bucket: args.split.bucketName, role: READER_ROLE, member, condition: { ...condition } }, { parent: this }));
    }

    const secrets = instance.files.map((file) => this.fileSecret(name, fileSecretId(serviceName, location, file), file, args, labels));
    for (const entry of secrets) grants.push(this.secretGrant(`${name}-${entry.file.purpose}`, entry.secretId, project, member));
    if (args.clusterApiKey && instance.delegates) grants.push(this.secretGrant(`${name}-cluster-api-key`, args.clusterApiKey.secret, project, member));

    this.service = new Service(`${name}-service`, {
      name: serviceName,
      project,
      location,
      ingress: args.ingress ?? 'INGRESS_TRAFFIC_INTERNAL_ONLY',
      labels,
      template: {
        serviceAccount: this.serviceAccountEmail,
        // Full Linux (the microVM): spiced's engines use files and syscalls gVisor may not emulate.
        executionEnvironment: 'EXECUTION_ENVIRONMENT_GEN2',
        scaling: args.scaling ?? { minInstanceCount: 1 },
        vpcAccess: args.vpcAccess,
        containers: [appContainer(args.app), readerContainer(instance, image, args.clusterApiKey)],
        volumes: readerVolumes(instance, secrets),
        labels,
      },
    // A revision whose service account cannot read a secret or the bucket never starts: grant first.
    }, { parent: this, dependsOn: grants });
    this.uri = this.service.uri;

    this.registerOutputs({
      serviceName,
      uri: this.uri,
      serviceAccountEmail: this.serviceAccountEmail,
      readerMemory: readerContainerMemoryBytes(instance),
    });
  }

  /** A file of the reader's as a secret in the service's region, and the version the revision mounts. */
  private fileSecret(name: string, secretId: string, file: ReaderFile, args: SpiceReaderCloudRunArgs, labels: Record<string, string>): FileSecret {
    const secret = new Secret(`${name}-${file.purpose}`, {
      secretId,
      project: args.project,
      replication: { userManaged: { replicas: [{ location: args.location }] } },
      labels,
    }, { parent: this });
    const version = new SecretVersion(`${name}-${file.purpose}`, { secret: secret.id, secretData: file.content }, { parent: this });
    return { file, secretId: secret.secretId, version: version.version };
  }

  private secretGrant(resourceName: string, secretId: pulumi.Input<string>, project: string, member: pulumi.Input<string>): SecretIamMember {
    return new SecretIamMember(resourceName, { secretId, project, role: SECRET_READER_ROLE, member }, { parent: this });
  }
}
