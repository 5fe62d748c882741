import {
  checkLiteralValues, checkNamespaces, checkReaderNamespacesAgree, checkServiceAccounts, grantedReaders, Findings, SplitSpec, splitNameOf, SynthesizedSplit,
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
   * split's reader ServiceAccount in each. Better said once in the description
   * (`split.reader.namespaces`), which the Kubernetes side reads too; when both are given they must
   * agree.
   *
   * @default - the description's `reader.namespaces`, else the split's namespace
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

// Whom each tier's identity trusts is the core's (the command line compares the Kubernetes side with it too).
export { Grantee, tierGrantees } from '../core';

/** Reader namespaces and ServiceAccounts: plain (they name resources and principals), valid, each once. */
export function checkReaderGrantees(args: ReaderGranteeArgs, synthesized: SynthesizedSplit | undefined, own: Findings): void {
  checkLiteralValues(args.readerNamespaces, 'readerNamespaces', own, OUTPUT_IN_NAME);
  checkLiteralValues(args.readerServiceAccounts, 'readerServiceAccounts', own, OUTPUT_IN_NAME);
  if (args.readerNamespaces !== undefined) checkNamespaces(args.readerNamespaces, 'readerNamespaces', own);
  checkReaderNamespacesAgree(args.readerNamespaces, synthesized?.split, 'readerNamespaces', own);
  checkServiceAccounts(args.readerServiceAccounts, 'readerServiceAccounts', own, grantedReaders(splitNameOf(args.split), args.readerNamespaces, synthesized?.split));
}
