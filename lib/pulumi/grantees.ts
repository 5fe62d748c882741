import {
  checkLiteralValues, checkNamespaces, checkServiceAccounts, grantedReaders, Findings, readerServiceAccountName, ResolvedSplit, SplitSpec, splitNameOf, SynthesizedSplit,
  writerServiceAccountName,
} from '../core';
import { OUTPUT_IN_NAME } from './checks';

/** A Kubernetes ServiceAccount, by namespace and name. */
export interface KubernetesServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

/** The args of a Pulumi component that name the reader ServiceAccounts its identity trusts. */
export interface ReaderGranteeArgs {
  /** The split description shared with the cdk8s app (plain values only, no Outputs). */
  readonly split: SplitSpec;
  /**
   * Namespaces of the applications that run reader sidecars: the reader identity trusts the
   * split's reader ServiceAccount in each.
   *
   * @default - the split's namespace
   */
  readonly readerNamespaces?: string[];
  /**
   * ServiceAccounts of applications that keep their own (`keepWorkloadServiceAccount` on the
   * reader sidecar): the reader identity trusts each too.
   *
   * @default - none
   */
  readonly readerServiceAccounts?: KubernetesServiceAccountRef[];
}

/** A Kubernetes ServiceAccount a cloud identity trusts. */
export interface Grantee {
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** Reader namespaces and ServiceAccounts: plain (they name resources and principals), valid, each once. */
export function checkReaderGrantees(args: ReaderGranteeArgs, synthesized: SynthesizedSplit | undefined, own: Findings): void {
  checkLiteralValues(args.readerNamespaces, 'readerNamespaces', own, OUTPUT_IN_NAME);
  checkLiteralValues(args.readerServiceAccounts, 'readerServiceAccounts', own, OUTPUT_IN_NAME);
  if (args.readerNamespaces !== undefined) checkNamespaces(args.readerNamespaces, 'readerNamespaces', own);
  checkServiceAccounts(args.readerServiceAccounts, 'readerServiceAccounts', own, grantedReaders(splitNameOf(args.split), args.readerNamespaces ?? [synthesized?.split.namespace]));
}

/**
 * The ServiceAccounts each tier's identity trusts: the writer's in the split's namespace (writers
 * and the archiver), the reader's in every reader namespace, and the applications' own.
 */
export function tierGrantees(split: ResolvedSplit, args: ReaderGranteeArgs): { readonly writers: Grantee[]; readonly readers: Grantee[] } {
  return {
    writers: [{ namespace: split.namespace, serviceAccount: writerServiceAccountName(split.name) }],
    readers: [
      ...(args.readerNamespaces ?? [split.namespace]).map((namespace) => ({ namespace, serviceAccount: readerServiceAccountName(split.name) })),
      ...(args.readerServiceAccounts ?? []).map((account) => ({ namespace: account.namespace, serviceAccount: account.name })),
    ],
  };
}
