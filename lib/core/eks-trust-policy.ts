import { Findings } from './errors';

/**
 * IAM's default quota on a role's trust policy: 2,048 characters, whitespace not counted
 * (IAM and STS quotas, "Role trust policy length"). Past it, `CreateRole` and
 * `UpdateAssumeRolePolicy` fail, and so does the deploy.
 */
export const IAM_TRUST_POLICY_QUOTA = 2048;

/** A Kubernetes ServiceAccount a role trusts, by namespace and name. */
export interface TrustedServiceAccount {
  readonly namespace: string;
  readonly name: string;
}

/** One statement of an IAM policy, as IAM reads it. */
export type IamStatementJson = Record<string, unknown>;

const one = (values: readonly string[]) => (values.length === 1 ? values[0] : [...values]);

/**
 * The trust statements of an EKS Pod Identity role: the EKS Pod Identity service, held by the
 * session tags its agent sets to one cluster, and to pairs of namespace and ServiceAccount. The
 * tier's own ServiceAccount in each of `namespaces` takes one statement; the others one statement
 * per namespace, so that trust stays pairwise.
 */
export function podIdentityTrustStatements(
  clusterName: string, namespaces: readonly string[], serviceAccount: string, others: readonly TrustedServiceAccount[] = [],
): IamStatementJson[] {
  const statement = (inNamespaces: readonly string[], accounts: readonly string[]): IamStatementJson => ({
    Effect: 'Allow',
    Principal: { Service: 'pods.eks.amazonaws.com' },
    Action: ['sts:AssumeRole', 'sts:TagSession'],
    Condition: {
      StringEquals: {
        'aws:RequestTag/eks-cluster-name': clusterName,
        'aws:RequestTag/kubernetes-namespace': one(inNamespaces),
        'aws:RequestTag/kubernetes-service-account': one(accounts),
      },
    },
  });
  const byNamespace = new Map<string, string[]>();
  for (const account of others) byNamespace.set(account.namespace, [...(byNamespace.get(account.namespace) ?? []), account.name]);
  return [statement(namespaces, [serviceAccount]), ...[...byNamespace].map(([namespace, names]) => statement([namespace], names))];
}

/** The trust statement of an IRSA role: web identity of the cluster's OIDC provider, held to these subjects. */
export function irsaTrustStatement(oidcProviderArn: string, subjects: readonly string[]): IamStatementJson {
  const issuer = oidcProviderArn.slice(oidcProviderArn.indexOf('oidc-provider/') + 'oidc-provider/'.length);
  return {
    Effect: 'Allow',
    Principal: { Federated: oidcProviderArn },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { [`${issuer}:sub`]: one(subjects), [`${issuer}:aud`]: 'sts.amazonaws.com' } },
  };
}

/** The length IAM counts of a trust policy: its JSON without whitespace outside strings. */
export function trustPolicyLength(statements: readonly IamStatementJson[]): number {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }).length;
}

/** What makes a trust policy long, and the fix for it. */
export const TRUST_POLICY_GROWTH = {
  namespaces: 'grant fewer namespaces to one role (run the readers in fewer namespaces)',
  serviceAccounts: "let fewer applications keep their own ServiceAccount (their pods can run as the tier's, granted by namespace)",
} as const;

/**
 * Refuses a trust policy over IAM's quota, at `key` (the list that makes it grow), with the fix
 * for that list.
 */
export function checkTrustPolicyLength(
  statements: readonly IamStatementJson[], role: string, key: string, growth: keyof typeof TRUST_POLICY_GROWTH, findings: Findings, quota = IAM_TRUST_POLICY_QUOTA,
): void {
  const length = trustPolicyLength(statements);
  if (length <= quota) return;
  findings.problem(
    key,
    `makes the trust policy of role ${role} ${length} characters long, over IAM's quota of ${quota}: the deploy would fail`,
    `${TRUST_POLICY_GROWTH[growth]}, or raise IAM's "Role trust policy length" quota (up to 4,096) and set trust.trustPolicyQuota to it`,
  );
}
