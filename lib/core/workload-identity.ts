import { Findings, quote } from './errors';
import { identityCloud } from './identity-cloud';
import { tierReadAs } from './identity-tiers';
import { gcpServiceAccountId } from './naming';

/**
 * The cloud identity a Kubernetes ServiceAccount is bound to. The cloud adapters produce these
 * values; the Kubernetes adapter renders the annotations and labels each mechanism reads.
 */
export type WorkloadIdentity =
  /** EKS IAM Roles for Service Accounts: the ServiceAccount names the role. */
  | { readonly type: 'aws-irsa'; readonly roleArn: string }
  /** EKS Pod Identity: the association lives on the AWS side; nothing to annotate. */
  | { readonly type: 'aws-pod-identity' }
  /**
   * GKE Workload Identity Federation. Without a Google service account, IAM grants go to the
   * Kubernetes ServiceAccount's principal directly; with one, the ServiceAccount impersonates it.
   */
  | {
    readonly type: 'gke-workload-identity';
    /**
     * The Google service account the Kubernetes ServiceAccount impersonates (its
     * `iam.gke.io/gcp-service-account` annotation).
     *
     * @default - none: IAM grants go to the Kubernetes ServiceAccount's principal directly
     */
    readonly googleServiceAccountEmail?: string;
  }
  /** AKS Workload Identity: the ServiceAccount names the managed identity's client id. */
  | {
    readonly type: 'azure-workload-identity';
    readonly clientId: string;
    /**
     * Tenant of the managed identity (the `azure.workload.identity/tenant-id` annotation).
     *
     * @default - the tenant the cluster's Workload Identity webhook is configured with
     */
    readonly tenantId?: string;
  };

/** Tiers that hold a bucket identity: writers (with the archiver) read-write, readers read-only. */
export type IdentityTier = 'writer' | 'reader';

/**
 * Deterministic IAM role name of a tier, so that a cdk8s app can name the role without reading
 * the CDK stack's outputs. IAM names are global to the account, hence the region.
 */
export function awsRoleName(splitName: string, region: string, tier: IdentityTier): string {
  return `${splitName}-${region}-spice-${tier}`.slice(0, 64);
}

/** A role name as `awsRoleName` makes it, `<split>-<region>-spice-<tier>`, at no IAM path. */
const LIBRARY_ROLE_NAME = /^[a-z][-a-z0-9]*-[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+-spice-(?:writer|reader)$/;

/**
 * A role named as the library names another split's or region's roles (`<split>-<region>-spice-<tier>`):
 * its trust policy names that split's ServiceAccounts, so this split's pods could not assume it.
 * A warning: a role of that name may have been made to trust this split too.
 */
function warnRoleOfAnotherSplit(roleArn: string, resource: string, tier: IdentityTier, split: { readonly name: string; readonly region: string }, path: string, findings: Findings): void {
  const expected = awsRoleName(split.name, split.region, tier);
  findings.warn(
    'irsa-role-of-another-split',
    path,
    `names ${resource}, the library's name for a role of another split or region (this split's ${tier} role is ${expected}, in ${split.region}): ReadWriteSplitAws makes each role trust its own split's ServiceAccounts, so the ${tier}s could not assume it; use ${quote(roleArn.replace(/role\/.+$/, `role/${expected}`))}`,
  );
}

/** ARN of a tier's role in an account (`aws` partition unless given). */
export function awsRoleArn(account: string, splitName: string, region: string, tier: IdentityTier, partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:role/${awsRoleName(splitName, region, tier)}`;
}

const IAM_ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/([\w+=,.@/-]{1,512})$/;

/** The parts of an IAM role ARN (`resource` is what follows `role/`, path included); undefined for anything else. */
export function parseRoleArn(arn: unknown): { readonly partition: string; readonly account: string; readonly resource: string } | undefined {
  const match = typeof arn === 'string' ? IAM_ROLE_ARN.exec(arn) : null;
  return match ? { partition: match[1], account: match[2], resource: match[3] } : undefined;
}
const GOOGLE_SERVICE_ACCOUNT = /^[a-z][-a-z0-9]{4,28}[a-z0-9]@[a-z][-a-z0-9.:]*\.iam\.gserviceaccount\.com$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDENTITY_TYPES = ['aws-irsa', 'aws-pod-identity', 'gke-workload-identity', 'azure-workload-identity'];

/** What a tier's identity must fit: the store's cloud, and whether the image reads it with workload identity; undefined without a store (a Spice Cloud writer). */
export function identityStoreOf(split: { readonly store?: { readonly cloud: string }; readonly image: { readonly capabilities: { readonly objectStoreCredentials: boolean } } }): { readonly cloud: string; readonly workloadIdentity: boolean } | undefined {
  return split.store && { cloud: split.store.cloud, workloadIdentity: split.image.capabilities.objectStoreCredentials };
}

/**
 * Checks that a tier's pods get an identity of the store's cloud: on AWS, and on Azure with a
 * Spice 2.x image, a tier without one cannot reach the snapshots at all (GKE trusts the
 * ServiceAccount itself; Spice 1.x on Azure uses the nodes' identity).
 */
export function checkIdentityForStore(
  identity: WorkloadIdentity | undefined, store: { readonly cloud: string; readonly workloadIdentity?: boolean } | undefined, tier: IdentityTier, path: string, findings: Findings,
): void {
  if (store === undefined) {
    // Readers of a Spice Cloud app restore nothing: an identity would only widen what the pod can reach.
    if (identity !== undefined) findings.problem(path, `is given, but the ${tier}s of a Spice Cloud app read no snapshot bucket and need no cloud identity`, 'remove it');
    return;
  }
  const { cloud } = store;
  const denied = tier === 'writer' ? 'upload' : 'restore';
  if (identity === undefined && cloud === 'aws') {
    findings.problem(
      path,
      `is missing: the ${tier}s would reach the S3 snapshot bucket with no identity, and every ${denied} would be denied`,
      `give { type: 'aws-irsa', roleArn: awsRoleArn(account, split, region, '${tier}') } or { type: 'aws-pod-identity' } (see ReadWriteSplitAws)`,
    );
  } else if (identity === undefined && cloud === 'azure' && store.workloadIdentity) {
    // Spice 2.x reads abfss:// with AKS Workload Identity only (1.x uses the nodes' identity through IMDS).
    findings.problem(
      path,
      `is missing: a Spice 2.x ${tier} reaches the Azure container with AKS Workload Identity only, and without it every ${denied} would be denied`,
      `give { type: 'azure-workload-identity', clientId } from the Azure stack's identities (ReadWriteSplitAzure.identities, read with readSplitIdentities)`,
    );
  }
  if (identity === undefined) return;
  const ofCloud = identityCloud(identity?.type);
  if (ofCloud !== undefined && ofCloud !== cloud) {
    findings.problem(`${path}.type`, `${quote(identity.type)} is an identity for ${ofCloud.toUpperCase()}, but the snapshot store is on ${cloud.toUpperCase()}`, `use an identity of the store's cloud`);
  }
}

/**
 * Checks an identity: a value that would be rendered but never work (a role name where an ARN
 * belongs, a client id that is not a GUID) is a problem. Late-bound values are skipped.
 */
export function checkWorkloadIdentity(identity: WorkloadIdentity | undefined, path: string, findings: Findings): void {
  if (identity === undefined) return;
  const late = findings.isLateBound;
  if (!identity || !IDENTITY_TYPES.includes(identity.type)) {
    findings.problem(`${path}.type`, `${quote(identity?.type)} is not an identity type`, `use one of ${IDENTITY_TYPES.map((t) => `'${t}'`).join(', ')}`);
    return;
  }
  if (identity.type === 'aws-irsa' && !late(identity.roleArn) && !parseRoleArn(identity.roleArn)) {
    findings.problem(`${path}.roleArn`, `${quote(identity.roleArn)} is not an IAM role ARN`, "use 'arn:aws:iam::<account>:role/<name>' (see awsRoleArn)");
  }
  if (identity.type === 'gke-workload-identity' && identity.googleServiceAccountEmail !== undefined
    && !late(identity.googleServiceAccountEmail) && !GOOGLE_SERVICE_ACCOUNT.test(identity.googleServiceAccountEmail)) {
    findings.problem(
      `${path}.googleServiceAccountEmail`,
      `${quote(identity.googleServiceAccountEmail)} is not a Google service account email`,
      "use '<name>@<project>.iam.gserviceaccount.com', or leave it out to grant the Kubernetes ServiceAccount directly",
    );
  }
  if (identity.type === 'azure-workload-identity') {
    if (!late(identity.clientId) && !GUID.test(String(identity.clientId))) {
      findings.problem(`${path}.clientId`, `${quote(identity.clientId)} is not a managed identity client id`, 'use the GUID of the user-assigned identity (its clientId)');
    }
    if (identity.tenantId !== undefined && !late(identity.tenantId) && !GUID.test(identity.tenantId)) {
      findings.problem(`${path}.tenantId`, `${quote(identity.tenantId)} is not a tenant id`, 'use the GUID of the Entra tenant, or leave it out for the cluster default');
    }
  }
}

/** The account id of a GKE identity's Google service account (before the '@'); undefined without a literal email. */
function gsaLocalPart(identity: WorkloadIdentity, findings: Findings): string | undefined {
  if (identity.type !== 'gke-workload-identity' || typeof identity.googleServiceAccountEmail !== 'string' || findings.isLateBound(identity.googleServiceAccountEmail)) return undefined;
  return identity.googleServiceAccountEmail.split('@')[0];
}

/** What makes two identities one: the role, the managed identity's client id, the Google service account. */
function sameIdentity(a: WorkloadIdentity, b: WorkloadIdentity): boolean {
  if (a.type === 'aws-irsa' && b.type === 'aws-irsa') return a.roleArn === b.roleArn;
  if (a.type === 'azure-workload-identity' && b.type === 'azure-workload-identity') return a.clientId === b.clientId;
  if (a.type === 'gke-workload-identity' && b.type === 'gke-workload-identity') return a.googleServiceAccountEmail !== undefined && a.googleServiceAccountEmail === b.googleServiceAccountEmail;
  return false;
}

/**
 * A tier's identity must not be the other tier's: the other's is trusted by the other tier's
 * ServiceAccount only, and readers must never hold the writers' read-write one. Checked against
 * the other tier's identity when known, and an IRSA role or a Google service account against the
 * library's deterministic names (`awsRoleName`, `gcpServiceAccountId`). Late-bound values are skipped.
 */
export function checkNotOtherTiersIdentity(
  identity: WorkloadIdentity | undefined, tier: IdentityTier, split: { readonly name: string; readonly store?: { readonly cloud: string; readonly region: string } },
  other: WorkloadIdentity | undefined, path: string, findings: Findings,
): void {
  if (!identity || !IDENTITY_TYPES.includes(identity.type)) return;
  const problemsBefore = findings.problems.length;
  const otherTier: IdentityTier = tier === 'writer' ? 'reader' : 'writer';
  const access = otherTier === 'writer' ? 'read-write' : 'read-only';
  const resource = identity.type === 'aws-irsa' && !findings.isLateBound(identity) ? parseRoleArn(identity.roleArn)?.resource : undefined;
  if (resource !== undefined && split.store?.cloud === 'aws' && resource === awsRoleName(split.name, split.store.region, otherTier)) {
    findings.problem(
      `${path}.roleArn`,
      `names the ${otherTier} role ${resource} (${access}, trusted by the ${otherTier}s' ServiceAccount only): the ${tier}s could not assume it`,
      `use the ${tier} role, ${quote(String((identity as { roleArn: string }).roleArn).replace(/role\/.+$/, `role/${awsRoleName(split.name, split.store.region, tier)}`))}`,
    );
  } else if (gsaLocalPart(identity, findings) === gcpServiceAccountId(split.name, otherTier) && split.store?.cloud === 'gcp') {
    const email = String((identity as { googleServiceAccountEmail: string }).googleServiceAccountEmail);
    findings.problem(
      `${path}.googleServiceAccountEmail`,
      `names the ${otherTier}s' Google service account ${quote(email)} (${access}, which only the ${otherTier}s' ServiceAccounts may impersonate): the ${tier}s could not use it`,
      `use the ${tier}s' one, ${quote(email.replace(/^[^@]+/, gcpServiceAccountId(split.name, tier)))}`,
    );
  } else if (tierReadAs(identity) === otherTier) {
    findings.problem(
      path,
      `is the identity read as identities.${otherTier} (${access}, trusted by the ${otherTier}s' ServiceAccount only): the ${tier}s would get no access${tier === 'reader' ? ', or read-write if it trusted them' : ''}`,
      `give the ${tier}s identities.${tier}`,
    );
  } else if (other && !findings.isLateBound(identity) && !findings.isLateBound(other) && sameIdentity(identity, other)) {
    findings.problem(
      path,
      `is the ${otherTier}s' identity too (${access}, trusted by the ${otherTier}s' ServiceAccount only): the ${tier}s would get no access${tier === 'reader' ? ', or read-write if it trusted them' : ''}`,
      `give the ${tier}s the ${tier} identity the cloud side creates (its identities.${tier})`,
    );
  }
  // Only when nothing above refused it: the writers' own role, say, is a problem, not this warning.
  const refused = findings.problems.length > problemsBefore;
  if (!refused && resource !== undefined && split.store?.cloud === 'aws' && LIBRARY_ROLE_NAME.test(resource) && resource !== awsRoleName(split.name, split.store.region, tier)) {
    warnRoleOfAnotherSplit(String((identity as { roleArn: string }).roleArn), resource, tier, { name: split.name, region: split.store.region }, `${path}.roleArn`, findings);
  }
  if (other && identityCloud(identity.type) === 'aws' && identityCloud(other.type) === 'aws' && identity.type !== other.type) {
    findings.warn(
      'aws-identity-types-differ',
      `${path}.type`,
      `is ${quote(identity.type)}, but the ${otherTier}s' is ${quote(other.type)}: ReadWriteSplitAws trusts one kind for both tiers (its cluster.trust), so the tier of the other kind would get no credentials from it; give both tiers the kind of cluster.trust`,
    );
  }
}

