import { CfnJson, Stack, Token, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  accessPlan, awsRoleName, checkNamespaces, checkServiceAccounts, checkTrustPolicyLength, Findings, IdentityTier, irsaTrustStatement, podIdentityTrustStatements, quote,
  readerServiceAccountName, storedSplit, SynthesizedSplit, WorkloadIdentity, writerServiceAccountName,
} from '../core';
import { cdkFindings, checkRoleNames, checkSourceAccess, checkTrust, claimRoleName } from './checks';
import { grantPrefix } from './prefix-grants';
import { grantSources } from './source-grants';

/** What every EKS trust may add. */
export interface EksTrustOptions {
  /**
   * The account's quota on a role's trust policy length, in characters: a role whose trust policy
   * would be longer is refused at synth (it grows with each ServiceAccount that keeps its own).
   * Set it when the account's "Role trust policy length" quota was raised.
   *
   * @default 2048 (IAM's default quota)
   */
  readonly trustPolicyQuota?: number;
}

/** How EKS pods assume the role. */
export type EksTrust =
  /** IAM Roles for Service Accounts: the cluster's IAM OIDC provider (it must exist). */
  | ({ readonly type: 'aws-irsa'; readonly oidcProviderArn: string } & EksTrustOptions)
  /** EKS Pod Identity: the eks-pod-identity-agent add-on must run on the nodes. */
  | ({ readonly type: 'aws-pod-identity'; readonly clusterName: string } & EksTrustOptions);

/** A Kubernetes ServiceAccount, by namespace and name. */
export interface KubernetesServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

/** Props of one tier's role. */
export interface SpiceWorkloadRoleProps {
  /** The synthesized split (`synthesizeSplit`): it names the role and the prefixes it may reach. */
  readonly synthesized: SynthesizedSplit;
  /** Writers (and the archiver) read-write, readers read-only. */
  readonly tier: IdentityTier;
  /** The split's snapshot bucket. */
  readonly bucket: s3.IBucket;
  /** How pods assume the role. */
  readonly trust: EksTrust;
  /** Namespaces whose ServiceAccount of this tier may assume the role. */
  readonly namespaces: readonly string[];
  /**
   * Writer tier only: how the role gets read on the `s3://` sources that spiced reads with the
   * pod's identity (`s3_auth` `iam_role` or unset). `'grant'` adds `s3:GetObject` under each
   * source's folder and `s3:ListBucket` limited to it by `s3:prefix`; `'external'` adds nothing,
   * and the role then needs that access from you (an IAM policy or the source bucket's policy).
   * Readers never get source access, so the reader tier refuses this prop.
   *
   * @default 'grant' for the writer tier
   */
  readonly sourceAccess?: 'grant' | 'external';
  /**
   * Further ServiceAccounts that may assume the role, beside the tier's own in `namespaces`: those
   * of applications that keep their own ServiceAccount and run the reader sidecar.
   *
   * @default - none
   */
  readonly extraServiceAccounts?: readonly KubernetesServiceAccountRef[];
}

/**
 * The role of one tier, named deterministically (`<split>-<region>-spice-<tier>`) so that
 * Kubernetes manifests can name it: writers (and the archiver) read, write and delete under the
 * split's prefix and read the `s3://` sources they authenticate to with this role; readers only
 * read the refresh location.
 */
export class SpiceWorkloadRole extends Construct {
  public readonly role: iam.Role;
  /** What the Kubernetes ServiceAccount of this tier must carry. */
  public readonly identity: WorkloadIdentity;

  /** @throws SplitValidationError at construction, listing every problem of the props */
  constructor(scope: Construct, id: string, props: SpiceWorkloadRoleProps) {
    super(scope, id);
    const split = storedSplit(props.synthesized.split, 'SpiceWorkloadRole', 'synthesized.split');
    const findings = cdkFindings();
    const own = findings.under('props');
    if (!['writer', 'reader'].includes(props.tier)) own.problem('tier', `${quote(props.tier)} is not a tier`, "use 'writer' or 'reader'");
    checkTrust(props.trust, 'trust', own);
    checkNamespaces(props.namespaces, 'namespaces', own, 'no ServiceAccount could assume the role');
    // The tier's own ServiceAccount in a granted namespace already has an association: EKS refuses a second.
    const serviceAccount = props.tier === 'writer' ? writerServiceAccountName(split.name) : readerServiceAccountName(split.name);
    checkServiceAccounts(props.extraServiceAccounts, 'extraServiceAccounts', own, { account: serviceAccount, namespaces: props.namespaces, what: `the ${props.tier} ServiceAccount of a namespace in namespaces` });
    if (props.tier === 'reader' && props.sourceAccess !== undefined) {
      own.problem('sourceAccess', `${quote(props.sourceAccess)} is set on the reader role, but readers never read sources: they restore snapshots`, 'remove it; only the writer role reads sources');
    } else if (props.tier === 'writer') {
      checkSourceAccess(props.sourceAccess, split.datasets, { props: own, datasets: own.under('synthesized.split.datasets') });
    }
    const roleName = awsRoleName(split.name, split.store.region, props.tier);
    checkRoleNames(this, [roleName], own.under('synthesized.split'));
    const extra = props.extraServiceAccounts ?? [];
    if (!own.problems.length) checkRoleTrustLength(props.trust, props.namespaces, serviceAccount, extra, roleName, own, { namespaces: 'namespaces', serviceAccounts: 'extraServiceAccounts' });
    findings.throwIfProblems(split.name, this.node.path);
    claimRoleName(this, roleName);
    const description = `${props.tier === 'writer' ? 'Read-write' : 'Read-only'} access to the ${split.name} Spice snapshots`;
    if (props.trust.type === 'aws-pod-identity') {
      const { clusterName } = props.trust;
      const [first, ...others] = podIdentityTrustStatements(clusterName, props.namespaces, serviceAccount, extra).map((json) => iam.PolicyStatement.fromJson(json));
      this.role = new iam.Role(this, 'Role', {
        roleName,
        description,
        assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com').withConditions(first.conditions).withSessionTags(),
      });
      this.role.assumeRolePolicy!.addStatements(...others);
      props.namespaces.forEach((namespace, i) => new eks.CfnPodIdentityAssociation(this, `Association${i}`, {
        clusterName, namespace, serviceAccount, roleArn: this.role.roleArn,
      }));
      // Named after the pair, not its place in the list: adding one never replaces another.
      for (const account of extra) {
        new eks.CfnPodIdentityAssociation(this, `Association-${account.namespace}-${account.name}`, {
          clusterName, namespace: account.namespace, serviceAccount: account.name, roleArn: this.role.roleArn,
        });
      }
      this.identity = { type: 'aws-pod-identity' };
    } else {
      this.role = new iam.Role(this, 'Role', { roleName, description, assumedBy: this.irsaPrincipal(props.trust.oidcProviderArn, irsaSubjects(props.namespaces, serviceAccount, extra)) });
      this.identity = { type: 'aws-irsa', roleArn: this.role.roleArn };
    }
    const plan = accessPlan(split);
    const grants = props.tier === 'writer' ? plan.writer : plan.reader;
    for (const access of grants) grantPrefix(props.bucket, this.role, access);
    this.acknowledgePrefixWildcards(props.bucket, grants.map((access) => access.prefix));
    // Readers never read sources: they restore snapshots, and delegated datasets are read on the writer.
    if (props.tier === 'writer' && (props.sourceAccess ?? 'grant') === 'grant') grantSources(this.role, split, plan.writerSources);
  }

  /**
   * cdk-nag flags `<bucket>/<prefix>*` as a wildcard; it is the narrowest grant that works, since
   * spiced names snapshot objects by date and time.
   */
  private acknowledgePrefixWildcards(bucket: s3.IBucket, prefixes: readonly string[]): void {
    const cfnBucket = bucket.node.defaultChild;
    if (!(cfnBucket instanceof s3.CfnBucket)) return;
    const logicalId = Stack.of(this).getLogicalId(cfnBucket);
    const policy = Validations.of(this.role);
    for (const prefix of prefixes) {
      policy.acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${prefix}*]`,
        reason: `Snapshot objects are named by spiced (month=/day=/dataset=/<name>_<timestamp>): access is limited to objects under ${prefix}, the split's own prefix.`,
      });
    }
  }

  /** Web-identity trust on `sub` and `aud`; CfnJson when the issuer is a token (it cannot be a JSON key). */
  private irsaPrincipal(oidcProviderArn: string, subjects: string[]): iam.IPrincipal {
    const provider = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(this, 'Oidc', oidcProviderArn);
    const issuer = provider.openIdConnectProviderIssuer;
    const conditions = { [`${issuer}:sub`]: subjects.length === 1 ? subjects[0] : subjects, [`${issuer}:aud`]: 'sts.amazonaws.com' };
    const resolved = Token.isUnresolved(issuer) ? new CfnJson(this, 'TrustConditions', { value: conditions }) : conditions;
    return new iam.OpenIdConnectPrincipal(provider).withConditions({ StringEquals: resolved });
  }
}

/** Where a role's trusted ServiceAccounts are listed: its namespaces, and the further ServiceAccounts. */
export interface TrustedListKeys {
  readonly namespaces: string;
  readonly serviceAccounts: string;
}

/**
 * Refuses a role whose trust policy would pass the account's quota, at the list that makes it
 * grow: the further ServiceAccounts when there are any, else the namespaces. A trust whose IRSA
 * provider or cluster name is known only at deploy time is not measured.
 */
export function checkRoleTrustLength(
  trust: EksTrust, namespaces: readonly string[], serviceAccount: string, others: readonly KubernetesServiceAccountRef[], roleName: string, findings: Findings, keys: TrustedListKeys,
): void {
  if (trust.type === 'aws-irsa' && Token.isUnresolved(trust.oidcProviderArn)) return;
  if (trust.type === 'aws-pod-identity' && Token.isUnresolved(trust.clusterName)) return;
  const statements = trust.type === 'aws-irsa'
    ? [irsaTrustStatement(trust.oidcProviderArn, irsaSubjects(namespaces, serviceAccount, others))]
    : podIdentityTrustStatements(trust.clusterName, namespaces, serviceAccount, others);
  const growth = others.length > 0 ? 'serviceAccounts' : 'namespaces';
  checkTrustPolicyLength(statements, roleName, keys[growth], growth, findings, trust.trustPolicyQuota);
}

/** The `sub` of each trusted ServiceAccount: the tier's own in each namespace, then the others. */
function irsaSubjects(namespaces: readonly string[], serviceAccount: string, others: readonly KubernetesServiceAccountRef[]): string[] {
  return [...namespaces.map((namespace) => ({ namespace, name: serviceAccount })), ...others]
    .map((account) => `system:serviceaccount:${account.namespace}:${account.name}`);
}
