import {
  awsRoleName, gcpServiceAccountEmail, IdentityTier, parseRoleArn, ReaderGrantees, readerServiceAccountName, ResolvedSplit, SynthesizedSplit, tierGrantees, ValidationProblem, WorkloadIdentity,
} from '../core';
import type { SideBuilds } from './check-file';
import type { AppReader } from './kubernetes-target';
import type { AwsTarget, GcpTarget, SplitFile } from './split-file';

// The constructs of each side check their own props; only the file holds both sides, so only the
// command can see that the manifests name a role, a Google service account or a namespace that
// the cloud section does not create or trust. Each would deploy, and every upload or restore
// would be denied. Where the file cannot tell (an application's own identity, a namespace given
// at apply time), nothing is compared.

type StoredSplit = ResolvedSplit & { readonly store: NonNullable<ResolvedSplit['store']> };

/** A Kubernetes identity of the file, and the tier whose ServiceAccount carries it. */
interface IdentitySite {
  readonly path: string;
  readonly tier: IdentityTier;
  readonly identity?: WorkloadIdentity;
}

/** An application that runs as the split's reader identity: the ServiceAccount that identity must trust. */
interface SplitReader extends AppReader {
  readonly namespace: string;
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
  const readers = (k8s.readers ?? []).filter((reader) => clean(reader.at) && clean(`${reader.at}.identity`));
  const ownReaders = readers.filter((reader) => !isKept(reader, stored) || keptAsSplitReader(reader, file, stored));
  const writerSite: IdentitySite = { path: 'kubernetes.writerIdentity', tier: 'writer', identity: file.kubernetes?.writerIdentity };
  const sites = [
    ...(clean(writerSite.path) ? [writerSite] : []),
    ...ownReaders.map((reader): IdentitySite => ({ path: `${reader.at}.identity`, tier: 'reader', identity: reader.identity })),
  ];
  const trusted = ownReaders.filter((reader): reader is SplitReader => reader.namespace !== undefined);
  // Azure's client ids exist only once the identities do: they cannot be compared with the section.
  const identities = cloud === 'aws' ? sites.flatMap((site) => awsIdentityProblems(site, file.aws!, stored))
    : cloud === 'gcp' ? sites.flatMap((site) => gcpIdentityProblems(site, file.gcp!, stored)) : [];
  // Spice 1.x reads Azure with the nodes' identity: no ServiceAccount is trusted by anyone.
  const federated = cloud !== 'azure' || stored.image.capabilities.objectStoreCredentials;
  return [...(federated ? trusted.flatMap((reader) => trustProblems(reader, section, cloud, stored)) : []), ...identities];
}

const isKept = (reader: AppReader, split: StoredSplit) => reader.serviceAccount !== readerServiceAccountName(split.name);

/**
 * An application that keeps its own ServiceAccount may carry its own identity, granted by the
 * user: it is compared only when its identity is recognizably the split's reader identity.
 */
function keptAsSplitReader(reader: AppReader, file: SplitFile, split: StoredSplit): boolean {
  const { identity } = reader;
  if (identity?.type === 'aws-irsa') return parseRoleArn(identity.roleArn)?.resource === awsRoleName(split.name, split.store.region, 'reader');
  // An EKS ServiceAccount holds one Pod Identity association: the sidecar's asks for the split's.
  if (identity?.type === 'aws-pod-identity') return true;
  if (split.store.cloud !== 'gcp' || (identity !== undefined && identity.type !== 'gke-workload-identity')) return false;
  const email = identity?.googleServiceAccountEmail;
  // Without impersonation, the ServiceAccount's own principal holds the grant; with it, only the split's Google service account does.
  return file.gcp?.impersonateServiceAccounts === true
    ? email === gcpServiceAccountEmail(file.gcp.cluster.project, split.name, 'reader')
    : email === undefined;
}

const key = (namespace: string, name: string) => `${namespace}/${name}`;

/** The application's pod runs as a ServiceAccount the cloud section trusts as a reader. */
function trustProblems(reader: SplitReader, section: ReaderGrantees, cloud: string, split: StoredSplit): ValidationProblem[] {
  const trusted = tierGrantees(split, section).readers.map((grantee) => key(grantee.namespace, grantee.serviceAccount));
  const runsAs = key(reader.namespace, reader.serviceAccount);
  if (trusted.includes(runsAs)) return [];
  const kept = isKept(reader, split);
  const fix = kept
    ? `add { namespace: ${reader.namespace}, name: ${reader.serviceAccount} } to ${cloud}.readerServiceAccounts`
    : readerNamespacesFix(reader.namespace, section, cloud, split);
  return [{
    path: `${reader.at}.${kept || reader.namespaceFrom === 'manifest' ? 'manifest' : 'namespace'}`,
    message: `runs its pod as ServiceAccount ${runsAs}, which the ${cloud} section does not trust as a reader (it trusts ${trusted.join(', ')}): every restore would be denied`,
    fix,
  }];
}

/** Where to add a namespace the cloud section does not trust: its own list, or the description's, or a list to start. */
function readerNamespacesFix(namespace: string, section: ReaderGrantees, cloud: string, split: StoredSplit): string {
  if (section.readerNamespaces) return `add ${namespace} to ${cloud}.readerNamespaces`;
  if (split.reader.namespaces) return `add ${namespace} to split.reader.namespaces`;
  return `set split.reader.namespaces: [${[...new Set([split.namespace, namespace])].join(', ')}] (without it, the ${cloud} section trusts only the split's namespace)`;
}

/** The partition and account the aws section's roles are created in, as far as the file says. */
function awsHome(aws: AwsTarget): { partition?: string; account?: string } {
  const trust = aws.cluster.trust;
  const provider = trust.type === 'aws-irsa' ? /^arn:(aws[a-z-]*):iam::(\d{12}):oidc-provider\//.exec(trust.oidcProviderArn) : null;
  return { partition: provider?.[1], account: aws.account ?? provider?.[2] };
}

/** IRSA role ARNs name the roles the aws section creates, and the trust type is the section's. */
function awsIdentityProblems(site: IdentitySite, aws: AwsTarget, split: StoredSplit): ValidationProblem[] {
  const { identity } = site;
  if (identity === undefined) return [];
  const trustType = aws.cluster.trust.type;
  const roleName = awsRoleName(split.name, split.store.region, site.tier);
  const home = awsHome(aws);
  if ((identity.type === 'aws-irsa' || identity.type === 'aws-pod-identity') && identity.type !== trustType) {
    const mechanism = trustType === 'aws-irsa' ? 'IAM Roles for Service Accounts' : 'EKS Pod Identity';
    return [{
      path: `${site.path}.type`,
      message: `is '${identity.type}', but the aws section's roles trust ${mechanism} (aws.cluster.trust.type '${trustType}'): the ${site.tier}s would get no role`,
      fix: trustType === 'aws-irsa'
        ? `use { type: aws-irsa, roleArn: "arn:${home.partition ?? 'aws'}:iam::${home.account ?? '<account>'}:role/${roleName}" }`
        : 'use { type: aws-pod-identity } (the aws section creates the associations)',
    }];
  }
  const role = identity.type === 'aws-irsa' ? parseRoleArn(identity.roleArn) : undefined;
  // Not a role ARN: the side's own check says so.
  if (!role) return [];
  const partition = home.partition ?? role.partition;
  const account = home.account ?? role.account;
  if (role.resource === roleName && role.account === account && role.partition === partition) return [];
  const differences = [
    role.resource !== roleName ? `role ${role.resource}, not ${roleName}` : undefined,
    role.account !== account ? `account ${role.account}, not ${account}${aws.account ? ' (aws.account)' : " (the cluster's OIDC provider's)"}` : undefined,
    role.partition !== partition ? `partition ${role.partition}, not ${partition} (the cluster's OIDC provider's)` : undefined,
  ].filter((difference) => difference !== undefined);
  return [{
    path: `${site.path}.roleArn`,
    message: `names ${differences.join(', ')}: the ${site.tier}s would assume another role than the ${site.tier} role the aws section creates and grants the bucket to`,
    fix: `use "arn:${partition}:iam::${account}:role/${roleName}"`,
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

