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
  | { readonly type: 'gke-workload-identity'; readonly googleServiceAccountEmail?: string }
  /** AKS Workload Identity: the ServiceAccount names the managed identity's client id. */
  | { readonly type: 'azure-workload-identity'; readonly clientId: string; readonly tenantId?: string };

/** Tiers that hold a bucket identity: writers (with the archiver) read-write, readers read-only. */
export type IdentityTier = 'writer' | 'reader';

/**
 * Deterministic IAM role name of a tier, so that a cdk8s app can name the role without reading
 * the CDK stack's outputs. IAM names are global to the account, hence the region.
 */
export function awsRoleName(splitName: string, region: string, tier: IdentityTier): string {
  return `${splitName}-${region}-spice-${tier}`.slice(0, 64);
}

/** ARN of a tier's role in an account (`aws` partition unless given). */
export function awsRoleArn(account: string, splitName: string, region: string, tier: IdentityTier, partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:role/${awsRoleName(splitName, region, tier)}`;
}
