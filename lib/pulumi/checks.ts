import * as pulumi from '@pulumi/pulumi';
import { Findings, LateBoundRefusal, quote } from '../core';

// Checks every Pulumi component of the library shares (GCP, Azure).

/** Findings that skip Pulumi outputs: a value only known at deploy time is not wrong. */
export function pulumiFindings(): Findings {
  return new Findings((value) => pulumi.Output.isInstance(value));
}

/** The description is shared with the Kubernetes app: an Output there would name buckets and ServiceAccounts after its placeholder text. */
export const OUTPUT_IN_DESCRIPTION: LateBoundRefusal = {
  what: 'a Pulumi Output',
  why: 'the description is shared with the Kubernetes app and must hold plain values',
  fix: 'write the value itself',
};

/** Args that name resources and principals must be plain values too. */
export const OUTPUT_IN_NAME: LateBoundRefusal = {
  what: 'a Pulumi Output',
  why: 'it names resources and Workload Identity principals, which must be known when the program runs',
  fix: 'write the values themselves',
};

/** Optional booleans: anything else is a typo that would silently take the default. */
export function checkBooleans(args: Record<string, unknown>, keys: readonly string[], at: Findings): void {
  for (const key of keys) {
    const value = args[key];
    if (value !== undefined && typeof value !== 'boolean') at.problem(key, `${quote(value)} is not a boolean`, 'use true or false, or leave it out for the default');
  }
}
