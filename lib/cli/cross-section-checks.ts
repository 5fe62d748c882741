import { awsRoleName, gcpServiceAccountEmail, IdentityTier, readerServiceAccountName, ResolvedSplit, SynthesizedSplit, ValidationProblem, WorkloadIdentity } from '../core';
import type { SideBuilds } from './check-file';
import type { AppReader } from './kubernetes-target';
import type { AwsTarget, GcpTarget, SplitFile } from './split-file';

// The constructs of each side check their own props; only the file holds both sides, so only the
// command can see that the manifests name a role, a Google service account or a namespace that
// the cloud section does not create or trust. Each would deploy, and every upload or restore
// would be denied.

type StoredSplit = ResolvedSplit & { readonly store: NonNullable<ResolvedSplit['store']> };

/** Whom a cloud section's reader identity trusts (each section names them alike). */
interface TrustedReaders {
  readonly readerNamespaces?: readonly string[];
  readonly readerServiceAccounts?: readonly { readonly namespace: string; readonly name: string }[];
}

/** A Kubernetes identity of the file, and the tier whose ServiceAccount carries it. */
interface IdentitySite {
  readonly path: string;
  readonly tier: IdentityTier;
  readonly identity?: WorkloadIdentity;
}

/**
 * What the Kubernetes section's pods need from the cloud section of the store's cloud: each
 * application's ServiceAccount trusted, and the identities they carry the ones it creates. Sides
 * not built, or with problems of their own, are not compared.
 */
export function crossSectionProblems(file: SplitFile, synthesized: SynthesizedSplit, built: SideBuilds): ValidationProblem[] {
  const split = synthesized.split;
  if (!split.store || !built.k8s) return [];
  const stored = split as StoredSplit;
  const cloud = stored.store.cloud;
  const section = file[cloud];
  if (!section || !built[cloud] || built[cloud].problems.length > 0) return [];
  const k8s = built.k8s;
  const clean = (path: string) => !k8s.problems.some((problem) => problem.path === path || problem.path.startsWith(`${path}.`) || problem.path.startsWith(`${path}[`));
  const readers = (k8s.readers ?? []).filter((reader) => clean(reader.at));
  const sites: IdentitySite[] = [
    { path: 'kubernetes.writerIdentity', tier: 'writer' as const, identity: file.kubernetes?.writerIdentity },
    ...readers.map((reader) => ({ path: `${reader.at}.identity`, tier: 'reader' as const, identity: reader.identity })),
  ].filter((site) => clean(site.path));
  const identities = cloud === 'aws'
    ? sites.flatMap((site) => awsIdentityProblems(site, file.aws!, stored))
    : cloud === 'gcp' ? sites.flatMap((site) => gcpIdentityProblems(site, file.gcp!, stored)) : [];
  return [...readers.flatMap((reader) => trustProblems(reader, section, cloud, stored)), ...identities];
}

const key = (namespace: string, name: string) => `${namespace}/${name}`;

/** The application's pod runs as a ServiceAccount the cloud section's reader identity trusts. */
function trustProblems(reader: AppReader, section: TrustedReaders, cloud: string, split: StoredSplit): ValidationProblem[] {
  const readerAccount = readerServiceAccountName(split.name);
  const namespaces = section.readerNamespaces ?? [split.namespace];
  const trusted = [
    ...namespaces.map((namespace) => key(namespace, readerAccount)),
    ...(section.readerServiceAccounts ?? []).map((account) => key(account.namespace, account.name)),
  ];
  const runsAs = key(reader.namespace, reader.serviceAccount);
  if (trusted.includes(runsAs)) return [];
  const kept = reader.serviceAccount !== readerAccount;
  const fix = kept
    ? `add { namespace: ${reader.namespace}, name: ${reader.serviceAccount} } to ${cloud}.readerServiceAccounts`
    : section.readerNamespaces ? `add ${reader.namespace} to ${cloud}.readerNamespaces` : `set ${cloud}.readerNamespaces: [${split.namespace}, ${reader.namespace}] (without it, only the split's namespace is trusted)`;
  return [{
    path: `${reader.at}.${kept || reader.namespaceFrom === 'manifest' ? 'manifest' : 'namespace'}`,
    message: `runs its pod as ServiceAccount ${runsAs}, which the ${cloud} section does not trust as a reader (it trusts ${trusted.join(', ')}): every restore would be denied`,
    fix,
  }];
}

/** IRSA role ARNs name the roles the aws section creates, and the trust type is the section's. */
function awsIdentityProblems(site: IdentitySite, aws: AwsTarget, split: StoredSplit): ValidationProblem[] {
  const { identity } = site;
  const trustType = aws.cluster.trust.type;
  const roleName = awsRoleName(split.name, split.store.region, site.tier);
  if (identity === undefined) return [];
  if ((identity.type === 'aws-irsa' || identity.type === 'aws-pod-identity') && identity.type !== trustType) {
    const mechanism = trustType === 'aws-irsa' ? 'IAM Roles for Service Accounts' : 'EKS Pod Identity';
    return [{
      path: `${site.path}.type`,
      message: `is '${identity.type}', but the aws section's roles trust ${mechanism} (aws.cluster.trust.type '${trustType}'): the ${site.tier}s would get no role`,
      fix: trustType === 'aws-irsa'
        ? `use { type: aws-irsa, roleArn: "arn:aws:iam::${aws.account ?? '<account>'}:role/${roleName}" }`
        : 'use { type: aws-pod-identity } (the aws section creates the associations)',
    }];
  }
  if (identity.type !== 'aws-irsa') return [];
  const arn = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(.+)$/.exec(identity.roleArn);
  // Not a role ARN: the side's own check says so.
  if (!arn) return [];
  const [, partition, account, resource] = arn;
  const wantedAccount = aws.account ?? account;
  if (resource === roleName && account === wantedAccount) return [];
  const inAccount = aws.account ? ` in account ${aws.account}` : '';
  return [{
    path: `${site.path}.roleArn`,
    message: `names role ${resource} of account ${account}, but the aws section creates the ${site.tier} role ${roleName}${inAccount}: the ${site.tier}s would assume a role without the bucket's grants`,
    fix: `use "arn:${partition}:iam::${wantedAccount}:role/${roleName}"`,
  }];
}

/** With impersonation, pods act as the Google service accounts the gcp section creates; without, as themselves. */
function gcpIdentityProblems(site: IdentitySite, gcp: GcpTarget, split: StoredSplit): ValidationProblem[] {
  const { identity } = site;
  // Another cloud's identity: the side's own check says so.
  if (identity !== undefined && identity.type !== 'gke-workload-identity') return [];
  const email = identity?.googleServiceAccountEmail;
  const wanted = gcpServiceAccountEmail(gcp.cluster.project, split.name, site.tier);
  if (gcp.impersonateServiceAccounts === true && email !== wanted) {
    return [{
      path: email === undefined ? site.path : `${site.path}.googleServiceAccountEmail`,
      message: `${email === undefined ? 'names no Google service account' : `names ${email}`}, but the gcp section grants the bucket to ${wanted}, which the ${site.tier}s impersonate (gcp.impersonateServiceAccounts): every ${site.tier === 'writer' ? 'upload' : 'restore'} would be denied`,
      fix: `use { type: gke-workload-identity, googleServiceAccountEmail: ${wanted} }`,
    }];
  }
  if (gcp.impersonateServiceAccounts !== true && email !== undefined) {
    return [{
      path: `${site.path}.googleServiceAccountEmail`,
      message: `names ${email}, but the gcp section grants the bucket to the Kubernetes ServiceAccounts themselves (gcp.impersonateServiceAccounts is ${gcp.impersonateServiceAccounts === undefined ? 'false by default' : 'false'}): the ${site.tier}s would act as ${email}, which holds no grant`,
      fix: `leave googleServiceAccountEmail out, or set gcp.impersonateServiceAccounts: true and use ${wanted}`,
    }];
  }
  return [];
}
