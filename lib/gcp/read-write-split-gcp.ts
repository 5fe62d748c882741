// One file per resource rather than the service's index: `@pulumi/gcp/storage` would also load its
// mixins, and through them Cloud Functions.
import { getSubnetwork, getSubnetworkOutput } from '@pulumi/gcp/compute/getSubnetwork';
import { checkKmsKey, grantKeyToStorageAgent } from './bucket-encryption';
import { Account } from '@pulumi/gcp/serviceaccount/account';
import { IAMMember } from '@pulumi/gcp/serviceaccount/iammember';
import { Bucket } from '@pulumi/gcp/storage/bucket';
import { BucketIAMMember } from '@pulumi/gcp/storage/bucketIAMMember';
import * as pulumi from '@pulumi/pulumi';
import {
  accessPlan, formatWarning, gcpServiceAccountEmail, gcpServiceAccountId, gcsPrefixCondition, gcsWriterSources, gkeWorkloadIdentityUser, gkeWorkloadPrincipal,
  IamCondition, IdentityTier, quote, refuseSpiceCloudWriter, writerShapeOf, splitNameOf, SplitSpec, storedSplit, SynthesizedSplit, WorkloadIdentity,
} from '../core';
import { checkBooleans, checkPulumiDescription, pulumiFindings, storeRegionOf } from '../pulumi/checks';
import { checkReaderGrantees, Grantee, ReaderGranteeArgs, tierGrantees } from '../pulumi/grantees';
import { checkCluster, checkGcsSources, checkNetwork, PROJECT_NUMBER } from './checks';
import { lifecycleRules } from './lifecycle-rules';

export type { KubernetesServiceAccountRef } from '../pulumi/grantees';

/** The Pulumi type token of the component. */
export const READ_WRITE_SPLIT_GCP_TYPE = 'read-write-split:index:ReadWriteSplitGcp';

/** The GKE cluster that runs both tiers. */
export interface GkeClusterRef {
  /** Region of the cluster, e.g. `europe-west4`; the snapshot bucket must be in the same region. */
  readonly region: string;
  /**
   * Project id of the cluster (plain: it names the Workload Identity pool `<project>.svc.id.goog`
   * and the service accounts). The bucket is created in this project.
   */
  readonly project: string;
  /** Project number, for the Workload Identity principals, e.g. `organizations.getProjectOutput({ projectId }).number`. */
  readonly projectNumber: pulumi.Input<string>;
}

/** The subnetwork of the cluster's nodes, checked for Private Google Access at deploy time. */
export interface GkeSubnetworkRef {
  /** Name of the subnetwork. */
  readonly name: pulumi.Input<string>;
  /**
   * Region of the subnetwork.
   *
   * @default - the cluster's region
   */
  readonly region?: string;
  /**
   * Project of the subnetwork: the host project when the cluster runs on a Shared VPC (the lookup
   * needs `compute.subnetworks.get` there).
   *
   * @default - the cluster's project
   */
  readonly project?: string;
}


/** Arguments of the GCP side of a split. Each reader ServiceAccount (`readerNamespaces`, `readerServiceAccounts`) gets the reader's grant. */
export interface ReadWriteSplitGcpArgs extends ReaderGranteeArgs {
  /** The split description shared with the cdk8s app (plain values only, no Outputs). Its store must be `cloud: 'gcp'`. */
  readonly split: SplitSpec;
  /** The GKE cluster that runs both tiers. */
  readonly cluster: GkeClusterRef;
  /**
   * The subnetwork of the cluster's nodes: the deployment fails, before the bucket is created, when
   * it does not have Private Google Access. Give this or `privateGoogleAccessManagedElsewhere`.
   *
   * @default - none
   */
  readonly subnetwork?: GkeSubnetworkRef;
  /**
   * States that the nodes reach Google APIs privately by other means (Private Google Access
   * enabled elsewhere, Private Service Connect, or nodes with external addresses): nothing is
   * checked.
   *
   * @default false
   */
  readonly privateGoogleAccessManagedElsewhere?: boolean;
  /**
   * Grant through Google service accounts that the Kubernetes ServiceAccounts impersonate
   * (`iam.gke.io/gcp-service-account`, see `gcpServiceAccountEmail`) instead of granting the
   * Kubernetes ServiceAccounts' principals directly.
   *
   * @default false - direct principals, no annotation needed
   */
  readonly impersonateServiceAccounts?: boolean;
  /**
   * Grant the writer `roles/storage.objectViewer` on the buckets of the `gs://` sources the
   * description names.
   *
   * @default true
   */
  readonly grantSourceAccess?: boolean;
  /**
   * Protect the bucket (`protect`) and keep it when it leaves the program (`retainOnDelete`).
   *
   * @default true
   */
  readonly protect?: boolean;
  /**
   * A Cloud KMS key the bucket encrypts objects with (CMEK, `encryption.defaultKmsKeyName`), in the
   * bucket's region: `projects/<project>/locations/<region>/keyRings/<ring>/cryptoKeys/<key>`. The
   * project's Cloud Storage service agent is granted `roles/cloudkms.cryptoKeyEncrypterDecrypter` on
   * it before the bucket is created (see `kmsKeyGrantedElsewhere`).
   *
   * @default - Google-managed encryption keys
   */
  readonly kmsKeyName?: pulumi.Input<string>;
  /**
   * States that the Cloud Storage service agent already holds `roles/cloudkms.cryptoKeyEncrypterDecrypter`
   * on `kmsKeyName` (a key another team manages): no grant is made.
   *
   * @default false
   */
  readonly kmsKeyGrantedElsewhere?: boolean;
}

/** `value` once `check` has passed: what waits for it fails with it. */
function afterCheck(check: Promise<unknown> | pulumi.Output<unknown> | undefined, value: pulumi.Input<string>): pulumi.Input<string> {
  if (check === undefined) return value;
  // A value of its own to wait for (a key name from another resource): both are awaited.
  if (typeof value !== 'string') return pulumi.all([check, value]).apply(([, resolved]) => resolved);
  return pulumi.Output.isInstance(check) ? check.apply(() => value) : check.then(() => value);
}

/** Role of the writers (and the archiver): create, read, overwrite and delete objects; no IAM or ACLs. */
export const WRITER_ROLE = 'roles/storage.objectUser';
/** Role of the readers: get and list objects. */
export const READER_ROLE = 'roles/storage.objectViewer';


/**
 * The GCP side of a split, as a Pulumi component: the GCS snapshot bucket in the cluster's region
 * (uniform access, public access prevention, no soft delete, lifecycle from the retention plan),
 * the Private Google Access check, and the writer (`roles/storage.objectUser`) and reader
 * (`roles/storage.objectViewer`) grants on that bucket only, through Workload Identity Federation
 * for GKE. The writer also reads the `gs://` sources the description names (see
 * `grantSourceAccess`); readers read no source.
 *
 * Warnings of the description are logged once each (`pulumi.log.warn`), ending in `[ack: <id>]`.
 *
 * @throws SplitValidationError before any resource is registered, listing every problem of the description and the args
 */
export class ReadWriteSplitGcp extends pulumi.ComponentResource {
  public readonly synthesized: SynthesizedSplit;
  public readonly bucket: Bucket;
  /** The snapshot bucket's name. */
  public readonly bucketName: pulumi.Output<string>;
  /** `gs://` location of the refresh snapshots (the writer's and readers' `snapshots.location`). */
  public readonly refreshLocation: string;
  /** `gs://` location of the daily archive. */
  public readonly archiveLocation: string;
  /** The IAM members granted `roles/storage.objectUser` on the bucket. */
  public readonly writerMembers: pulumi.Output<string[]>;
  /** The IAM members granted `roles/storage.objectViewer` on the bucket. */
  public readonly readerMembers: pulumi.Output<string[]>;
  /** The Google service accounts, with `impersonateServiceAccounts` only. */
  public readonly serviceAccounts?: { readonly writer: Account; readonly reader: Account };
  /** What the Kubernetes ServiceAccounts of each tier carry (plain values: usable in the cdk8s app). */
  public readonly identities: { readonly writer: WorkloadIdentity; readonly reader: WorkloadIdentity };

  constructor(name: string, args: ReadWriteSplitGcpArgs, opts?: pulumi.ComponentResourceOptions) {
    // Everything is checked before super(): a bad description registers no resource at all.
    const findings = pulumiFindings();
    const synthesized = checkPulumiDescription(args?.split, findings);
    const own = findings.under('args');
    // A Spice Cloud writer is told apart even when the description has problems.
    const written = writerShapeOf(synthesized?.split, args?.split);
    if (!args || typeof args !== 'object') {
      own.problem('(split)', `${quote(args)} is not the component's args`, "give { split, cluster, subnetwork }");
    } else if (written?.writer.spiceCloud) {
      // The rest is about the store and its identities, which a Spice Cloud split has none of.
      refuseSpiceCloudWriter(written, 'ReadWriteSplitGcp', findings.under('split'));
    } else {
      const store = synthesized?.split.store;
      if (store && store.cloud !== 'gcp') {
        findings.problem('split.store.cloud', `${quote(store.cloud)} is not 'gcp': this component creates a GCS bucket`, "set store.cloud to 'gcp', or use the adapter of the store's cloud");
      }
      // A store of another cloud has a region of that cloud: comparing it would only follow from the problem above.
      checkCluster(args.cluster, store?.cloud === 'gcp' ? store.region : storeRegionOf(args.split, findings), own);
      checkNetwork(args, args.cluster?.region, own);
      checkReaderGrantees(args, synthesized, own);
      if (args.grantSourceAccess !== false) checkGcsSources(args.split?.datasets, args.split?.store?.cloud === 'gcp' ? args.split.store.bucket : undefined, findings.under('split.datasets'));
      checkBooleans(args as unknown as Record<string, unknown>, ['impersonateServiceAccounts', 'grantSourceAccess', 'protect', 'kmsKeyGrantedElsewhere'], own);
      checkKmsKey(args, args.cluster?.region, own);
    }
    findings.throwIfProblems(splitNameOf(args?.split), name);

    super(READ_WRITE_SPLIT_GCP_TYPE, name, {}, opts);
    // checkSplit returns a split whenever it reports no problem.
    this.synthesized = synthesized!;
    for (const warning of findings.warnings) pulumi.log.warn(`${formatWarning(warning)} [ack: ${warning.id}]`, this);

    // A Spice Cloud split was refused above.
    const split = storedSplit(this.synthesized.split, 'ReadWriteSplitGcp');
    const { project, projectNumber, region } = args.cluster;
    this.refreshLocation = split.store.refresh.uri;
    this.archiveLocation = split.store.archive.uri;
    const protect = args.protect ?? true;
    const impersonate = args.impersonateServiceAccounts ?? false;

    // Private Google Access, and a project number known only then: checked at deploy time. Only
    // the bucket waits for the checks; every other resource depends on the bucket, so a failed
    // check creates nothing. The principals take the number the check passed.
    const checkedAccess = args.subnetwork ? this.checkPrivateGoogleAccess(args.subnetwork, region, project) : undefined;
    // The number names the direct principals and the Cloud Storage service agent a key is granted to.
    const numberUsed = !impersonate || args.kmsKeyName !== undefined;
    const checkedNumber = !numberUsed || typeof projectNumber === 'string' ? undefined : pulumi.output(projectNumber).apply((number) => this.projectNumber(number));
    const checked = checkedAccess && checkedNumber ? pulumi.all([checkedAccess, checkedNumber]) : checkedAccess ?? checkedNumber;

    // The key's grant waits for the checks too: a failed check changes no one's key.
    const kmsKeyName = args.kmsKeyName === undefined || args.kmsKeyGrantedElsewhere
      ? args.kmsKeyName
      : grantKeyToStorageAgent(`${name}-storage-agent-key`, { kmsKeyName: afterCheck(checked, args.kmsKeyName), projectNumber, retain: protect }, this);
    this.bucket = new Bucket(`${name}-snapshots`, {
      name: afterCheck(checked, split.store.bucket),
      project,
      location: region.toUpperCase(),
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      // Snapshots are rewritten often; soft delete would keep (and bill) every replaced copy for 7 days.
      softDeletePolicy: { retentionDurationSeconds: 0 },
      lifecycleRules: lifecycleRules(this.synthesized.retention),
      labels: { 'spice-split': split.name },
      ...(kmsKeyName === undefined ? {} : { encryption: { defaultKmsKeyName: kmsKeyName } }),
      forceDestroy: false,
    }, { parent: this, protect, retainOnDelete: protect });
    this.bucketName = this.bucket.name;

    const { writers, readers } = tierGrantees(split, args);

    // Each grant is held to its prefix of the access plan: readers never reach the archive or another split.
    const plan = accessPlan(split);
    const conditions = { writer: gcsPrefixCondition(split.store.bucket, plan.writer[0]), reader: gcsPrefixCondition(split.store.bucket, plan.reader[0]) };
    let members: { readonly writer: pulumi.Input<string>[]; readonly reader: pulumi.Input<string>[] };
    let writerMember: (grantee: Grantee) => pulumi.Input<string>;
    if (impersonate) {
      const writer = this.serviceAccount(name, 'writer', project, writers);
      const reader = this.serviceAccount(name, 'reader', project, readers);
      this.serviceAccounts = { writer, reader };
      writerMember = () => `serviceAccount:${gcpServiceAccountEmail(project, split.name, 'writer')}`;
      const readerMember = `serviceAccount:${gcpServiceAccountEmail(project, split.name, 'reader')}`;
      this.identities = {
        writer: { type: 'gke-workload-identity', googleServiceAccountEmail: gcpServiceAccountEmail(project, split.name, 'writer') },
        reader: { type: 'gke-workload-identity', googleServiceAccountEmail: gcpServiceAccountEmail(project, split.name, 'reader') },
      };
      // One grant per tier: the Google service account is the member.
      this.grant(`${name}-writer`, this.bucket.name, WRITER_ROLE, writerMember(writers[0]), [writer], conditions.writer);
      this.grant(`${name}-reader`, this.bucket.name, READER_ROLE, readerMember, [reader], conditions.reader);
      members = { writer: [writerMember(writers[0])], reader: [readerMember] };
    } else {
      // A project number given as a string was checked above: its principals are plain strings, with no Output to wait for.
      const principal = (grantee: Grantee): pulumi.Input<string> => (checkedNumber === undefined
        ? gkeWorkloadPrincipal(projectNumber as string, project, grantee.namespace, grantee.serviceAccount)
        : checkedNumber.apply((number) => gkeWorkloadPrincipal(number, project, grantee.namespace, grantee.serviceAccount)));
      writerMember = principal;
      this.identities = { writer: { type: 'gke-workload-identity' }, reader: { type: 'gke-workload-identity' } };
      // Named after the ServiceAccount, not its place in a list: adding one never replaces another.
      for (const grantee of writers) this.grant(`${name}-writer-${grantee.namespace}/${grantee.serviceAccount}`, this.bucket.name, WRITER_ROLE, principal(grantee), [], conditions.writer);
      for (const grantee of readers) this.grant(`${name}-reader-${grantee.namespace}/${grantee.serviceAccount}`, this.bucket.name, READER_ROLE, principal(grantee), [], conditions.reader);
      members = { writer: writers.map(principal), reader: readers.map(principal) };
    }

    // The writer reads its gs:// sources with its own identity; readers never read sources.
    if (args.grantSourceAccess ?? true) {
      for (const source of gcsWriterSources(split)) {
        const dependsOn = this.serviceAccounts ? [this.serviceAccounts.writer] : [];
        if (source.prefix === undefined) {
          this.grant(`${name}-writer-source-${source.bucket}`, source.bucket, READER_ROLE, writerMember(writers[0]), [this.bucket, ...dependsOn]);
        } else {
          // A folder or file of the snapshot bucket: held to it, as the bucket holds other splits' snapshots too.
          const condition = gcsPrefixCondition(source.bucket, { prefix: source.prefix, access: 'read' });
          this.grant(`${name}-writer-source-${source.bucket}/${source.prefix}`, this.bucket.name, READER_ROLE, writerMember(writers[0]), dependsOn, condition);
        }
      }
    }

    this.writerMembers = pulumi.output(members.writer);
    this.readerMembers = pulumi.output(members.reader);
    // Values known now are registered as they are: an Output would make Pulumi wait (and capture a stack) for them.
    const known = (list: pulumi.Input<string>[], output: pulumi.Output<string[]>) => (list.every((member) => typeof member === 'string') ? list : output);
    this.registerOutputs({
      bucketName: split.store.bucket,
      refreshLocation: this.refreshLocation,
      archiveLocation: this.archiveLocation,
      writerMembers: known(members.writer, this.writerMembers),
      readerMembers: known(members.reader, this.readerMembers),
    });
  }

  private grant(
    resourceName: string, bucket: pulumi.Input<string>, role: string, member: pulumi.Input<string>, dependsOn: pulumi.Resource[] = [], condition?: IamCondition,
  ): BucketIAMMember {
    // A grant on the snapshot bucket takes its name Output: the property dependency also replaces
    // the grant when the bucket is replaced (a dependsOn alone would keep a grant GCS dropped).
    return new BucketIAMMember(resourceName, { bucket, role, member, ...(condition ? { condition: { ...condition } } : {}) }, { parent: this, dependsOn });
  }

  /** A tier's Google service account, and the Kubernetes ServiceAccounts that may impersonate it. */
  private serviceAccount(
    name: string, tier: IdentityTier, project: string, grantees: readonly Grantee[],
  ): Account {
    const split = storedSplit(this.synthesized.split, 'ReadWriteSplitGcp');
    const account = new Account(`${name}-${tier}`, {
      accountId: gcpServiceAccountId(split.name, tier),
      project,
      displayName: `Spice ${tier}s of the ${split.name} split`,
      description: `${tier === 'writer' ? 'Read-write' : 'Read-only'} access to the ${split.name} Spice snapshots (GKE Workload Identity)`,
    }, { parent: this, dependsOn: [this.bucket] });
    for (const grantee of grantees) {
      new IAMMember(`${name}-${tier}-wi-${grantee.namespace}/${grantee.serviceAccount}`, {
        serviceAccountId: account.name,
        role: 'roles/iam.workloadIdentityUser',
        member: gkeWorkloadIdentityUser(project, grantee.namespace, grantee.serviceAccount),
      }, { parent: this });
    }
    return account;
  }

  /** A project number known only at deploy time, checked then: a principal of project `undefined` would grant no one. */
  private projectNumber(value: unknown): string {
    if (typeof value === 'string' && PROJECT_NUMBER.test(value)) return value;
    throw new pulumi.ResourceError(`args.cluster.projectNumber: ${quote(value)} is not a project number; give the project's number (digits), e.g. organizations.getProjectOutput({ projectId }).number`, this, true);
  }

  /** Fails the deployment, with a message that says what to do, when the subnetwork has no Private Google Access. */
  private checkPrivateGoogleAccess(subnetwork: GkeSubnetworkRef, clusterRegion: string, clusterProject: string): Promise<boolean> | pulumi.Output<boolean> {
    const region = subnetwork.region ?? clusterRegion;
    const hostProject = subnetwork.project ?? clusterProject;
    const inProject = hostProject === clusterProject ? '' : ` of project ${hostProject}`;
    const checked = (result: { privateIpGoogleAccess?: boolean } | undefined, subnetName: string): boolean => {
      if (result?.privateIpGoogleAccess !== true) {
        throw new pulumi.ResourceError(
          `args.subnetwork: the subnetwork ${quote(subnetName)}${inProject} in ${region} has no Private Google Access, so GKE nodes without external addresses cannot reach the snapshot bucket; `
          + `enable it (gcloud compute networks subnets update ${subnetName} --region ${region} --project ${hostProject} --enable-private-ip-google-access, or privateIpGoogleAccess: true on the Subnetwork), `
          + 'or set privateGoogleAccessManagedElsewhere: true instead of subnetwork if the nodes reach Google APIs another way',
          this,
          true,
        );
      }
      return true;
    };
    const name = subnetwork.name;
    // A plain name (the usual case) is looked up in the promise form: nothing to wait for, and Pulumi makes fewer promises than for an Output.
    if (typeof name === 'string') return getSubnetwork({ name, region, project: hostProject }, { parent: this }).then((result) => checked(result, name));
    const found = getSubnetworkOutput({ name, region, project: hostProject }, { parent: this });
    return pulumi.all([found, name]).apply(([result, subnetName]) => checked(result, subnetName));
  }
}
