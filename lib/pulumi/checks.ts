import * as pulumi from '@pulumi/pulumi';
import { checkLiteralValues, checkSplit, Findings, LateBoundRefusal, quote, SplitSpec, SynthesizedSplit, withoutLateBound } from '../core';

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

/**
 * Checks the description a component shares with the Kubernetes app: an Output anywhere in it is
 * refused, once, at its path; the rest is checked without it (a value left out there is not
 * reported again, and nothing derived from it quotes an Output's placeholder text).
 */
export function checkPulumiDescription(split: SplitSpec, findings: Findings): SynthesizedSplit | undefined {
  checkLiteralValues(split, '', findings.under('split'), OUTPUT_IN_DESCRIPTION);
  const refused = new Set(findings.problems.map((problem) => problem.path));
  const scratch = new Findings(findings.isLateBound);
  const synthesized = checkSplit(withoutLateBound(split, findings.isLateBound), scratch.under('split'));
  for (const problem of scratch.problems) {
    if (!refused.has(problem.path)) findings.problem(problem.path, problem.message, problem.fix);
  }
  for (const warning of scratch.warnings) findings.warn(warning.id, warning.path, warning.message);
  return synthesized;
}
