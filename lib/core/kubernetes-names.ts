import { Findings, quote } from './errors';
import { readerServiceAccountName, writerServiceAccountName } from './naming';
import type { ResolvedSplit } from './split';

/** A Kubernetes namespace: a DNS label. */
export const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A Kubernetes ServiceAccount name: a DNS subdomain. */
export const SERVICE_ACCOUNT_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/**
 * Namespaces whose reader (or writer) ServiceAccount a cloud identity trusts: a non-empty list of
 * distinct namespace names. Late-bound values are skipped.
 */
export function checkNamespaces(namespaces: unknown, key: string, findings: Findings, whenEmpty = 'no ServiceAccount would be granted access'): void {
  if (findings.isLateBound(namespaces)) return;
  if (!Array.isArray(namespaces) || namespaces.length === 0) {
    findings.problem(
      key,
      Array.isArray(namespaces) ? `is empty: ${whenEmpty}` : `${quote(namespaces)} is not a list`,
      "list the namespaces of the workloads, e.g. ['shop']",
    );
    return;
  }
  const first = new Map<string, number>();
  namespaces.forEach((namespace, i) => {
    if (findings.isLateBound(namespace)) return;
    if (typeof namespace !== 'string' || !NAMESPACE_NAME.test(namespace)) {
      findings.problem(`${key}[${i}]`, `${quote(namespace)} is not a Kubernetes namespace`, "use a DNS label: up to 63 lowercase letters, digits and '-'");
    } else if (first.has(namespace)) {
      findings.problem(`${key}[${i}]`, `${quote(namespace)} is already ${key}[${first.get(namespace)}]`, 'list each namespace once');
    } else {
      first.set(namespace, i);
    }
  });
}

/** The tier's own ServiceAccount, which its namespaces already grant: listing it again would grant it twice. */
export interface GrantedServiceAccounts {
  /** The tier's ServiceAccount name. */
  readonly account: string;
  readonly namespaces: readonly unknown[];
  /** What the account is, for the message: e.g. 'the reader ServiceAccount of a reader namespace'. */
  readonly what: string;
  /** The other tier's ServiceAccount, which must not be listed either; undefined when its namespace is not known. */
  readonly otherTier?: { readonly account: string; readonly namespace: string; readonly what: string };
}

/**
 * The reader ServiceAccount of each reader namespace, and the writers' ServiceAccount in the
 * split's namespace: what `readerServiceAccounts` must not list.
 */
export function grantedReaders(splitName: string, given: readonly unknown[] | undefined, split?: Pick<ResolvedSplit, 'namespace' | 'reader'>): GrantedServiceAccounts {
  return {
    account: readerServiceAccountName(splitName),
    namespaces: split ? trustedReaderNamespaces(split, given as readonly string[] | undefined) : given ?? [],
    what: 'the reader ServiceAccount of a reader namespace',
    ...(split === undefined ? {} : { otherTier: { account: writerServiceAccountName(splitName), namespace: split.namespace, what: "the writers' (and the archiver's) ServiceAccount" } }),
  };
}

/**
 * ServiceAccounts of applications that keep their own (`{ namespace, name }`): valid names, each
 * once, and none that `granted` already covers.
 */
export function checkServiceAccounts(accounts: unknown, key: string, findings: Findings, granted?: GrantedServiceAccounts): void {
  if (accounts === undefined || findings.isLateBound(accounts)) return;
  if (!Array.isArray(accounts)) {
    findings.problem(key, `${quote(accounts)} is not a list`, "list { namespace, name } pairs, e.g. [{ namespace: 'shop', name: 'api' }]");
    return;
  }
  const seen = new Set<string>();
  accounts.forEach((account, i) => {
    const path = `${key}[${i}]`;
    if (!findings.isLateBound(account?.namespace) && (typeof account?.namespace !== 'string' || !NAMESPACE_NAME.test(account.namespace))) {
      findings.problem(`${path}.namespace`, `${quote(account?.namespace)} is not a Kubernetes namespace`, "use a DNS label: up to 63 lowercase letters, digits and '-'");
    }
    if (!findings.isLateBound(account?.name) && (typeof account?.name !== 'string' || !SERVICE_ACCOUNT_NAME.test(account.name))) {
      findings.problem(`${path}.name`, `${quote(account?.name)} is not a ServiceAccount name`, "use lowercase letters, digits, '-' and '.'");
    }
    const id = `${account?.namespace}/${account?.name}`;
    if (seen.has(id)) {
      findings.problem(path, `${quote(id)} is listed twice`, 'list each ServiceAccount once');
    } else if (granted && account?.name === granted.account && granted.namespaces.includes(account?.namespace)) {
      findings.problem(path, `${quote(id)} is ${granted.what}, which is granted already`, `remove it from ${key}`);
    } else if (granted?.otherTier && account?.name === granted.otherTier.account && account?.namespace === granted.otherTier.namespace) {
      findings.problem(path, `${quote(id)} is ${granted.otherTier.what}: it would hold the readers' identity too`, `remove it from ${key}: the writers have their own identity`);
    }
    seen.add(id);
  });
}

/** A Kubernetes ServiceAccount a cloud identity trusts. */
export interface Grantee {
  readonly namespace: string;
  readonly serviceAccount: string;
}

/**
 * The namespaces whose reader ServiceAccount a cloud side trusts: its own `readerNamespaces`, else
 * the description's `reader.namespaces`, else the split's namespace.
 */
export function trustedReaderNamespaces(split: Pick<ResolvedSplit, 'namespace' | 'reader'>, given?: readonly string[]): readonly string[] {
  return given ?? split.reader.namespaces ?? [split.namespace];
}

/**
 * A side's own list of reader namespaces (a cloud component's or the chart's `readerNamespaces`)
 * must be the description's `reader.namespaces` when both are given: the description is what the
 * other side reads.
 */
export function checkReaderNamespacesAgree(given: unknown, split: Pick<ResolvedSplit, 'reader'> | undefined, key: string, findings: Findings): void {
  const described = split?.reader.namespaces;
  if (described === undefined || !Array.isArray(given) || findings.isLateBound(given) || given.some((namespace) => findings.isLateBound(namespace))) return;
  // The same list in the same order: AWS numbers Pod Identity associations by position, so a list
  // that moves from here to the description must keep its order.
  if (given.length === described.length && given.every((namespace, i) => described[i] === namespace)) return;
  findings.problem(
    key,
    `is ${given.join(', ') || '(none)'}, but the description's reader.namespaces is ${described.join(', ')}: the other side reads the description, so the two would disagree on where readers run`,
    `leave ${key} out (the description's reader.namespaces is used), or make the two the same list, in the same order`,
  );
}

/** Who else a cloud side's reader identity trusts: reader namespaces, and applications' own ServiceAccounts. */
export interface ReaderGrantees {
  /** @default - the description's `reader.namespaces`, else the split's namespace */
  readonly readerNamespaces?: readonly string[];
  /** @default - none */
  readonly readerServiceAccounts?: readonly { readonly namespace: string; readonly name: string }[];
}

/**
 * The ServiceAccounts each tier's identity trusts: the writer's in the split's namespace (writers
 * and the archiver), the reader's in every reader namespace, and the applications' own.
 */
export function tierGrantees(split: Pick<ResolvedSplit, 'name' | 'namespace' | 'reader'>, grantees: ReaderGrantees): { readonly writers: Grantee[]; readonly readers: Grantee[] } {
  return {
    writers: [{ namespace: split.namespace, serviceAccount: writerServiceAccountName(split.name) }],
    readers: [
      ...trustedReaderNamespaces(split, grantees.readerNamespaces).map((namespace) => ({ namespace, serviceAccount: readerServiceAccountName(split.name) })),
      ...(grantees.readerServiceAccounts ?? []).map((account) => ({ namespace: account.namespace, serviceAccount: account.name })),
    ],
  };
}
