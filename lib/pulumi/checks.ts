import * as pulumi from '@pulumi/pulumi';
import { AnySplitSpec, checkLiteralValues, checkSplit, Findings, LateBoundRefusal, quote, SplitSpec, SynthesizedSplit, withoutLateBound } from '../core';

// Checks every Pulumi component of the library shares (GCP, Azure).

/**
 * Findings that skip Pulumi Inputs known only at deploy time, Outputs and Promises: such a value
 * is not wrong.
 */
export function pulumiFindings(): Findings {
  return new Findings(isKnownAtDeploy);
}

/** A Pulumi Output or a Promise: an Input known only at deploy time. */
export function isKnownAtDeploy(value: unknown): boolean {
  // Outputs are objects of their own class: strings, numbers, plain objects and arrays, all of a
  // description but an Output, need no lookup (a miss on Output's brand is slow for plain objects).
  return typeof value === 'object' && value !== null && !isPlainData(value) && (pulumi.Output.isInstance(value) || typeof (value as { then?: unknown }).then === 'function');
}

function isPlainData(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === Array.prototype || prototype === null;
}

/** The description is shared with the Kubernetes app: an Output there would name buckets and ServiceAccounts after its placeholder text. */
export const OUTPUT_IN_DESCRIPTION: LateBoundRefusal = {
  what: 'a Pulumi Output or Promise',
  why: 'the description is shared with the Kubernetes app and must hold plain values',
  fix: 'write the value itself',
};

/** Args that name resources and principals must be plain values too. */
export const OUTPUT_IN_NAME: LateBoundRefusal = {
  what: 'a Pulumi Output or Promise',
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
/** The names of a private path the component sets up or checks, and of the statement that it exists elsewhere. */
export interface PrivatePathKeys {
  readonly here: string;
  readonly elsewhere: string;
}

/**
 * The private path to the store: given to the component (`keys.here`), or stated to exist
 * elsewhere (`keys.elsewhere: true`), exactly one of them. Returns whether it was given here.
 */
export function checkPrivatePath(
  args: Record<string, unknown>,
  keys: PrivatePathKeys,
  problems: { readonly missing: { readonly message: string; readonly fix: string }; readonly bothFix: string },
  at: Findings,
): boolean {
  const here = args[keys.here] !== undefined;
  const elsewhere = args[keys.elsewhere] === true;
  if (here && elsewhere) at.problem(keys.elsewhere, `is true together with ${keys.here}`, problems.bothFix);
  else if (!here && !elsewhere) at.problem(keys.here, problems.missing.message, problems.missing.fix);
  return here;
}

/**
 * The description's store region, for checking the cluster against it even when the description
 * has other problems; undefined when the store or its region or cloud was refused (already
 * reported at `split.store…`).
 */
export function storeRegionOf(spec: SplitSpec, findings: Findings): string | undefined {
  const store = spec && typeof spec === 'object' ? spec.store : undefined;
  const unusable = findings.problems.some((problem) => problem.path === 'split.store' || /^split\.store\.(region|cloud)/.test(problem.path));
  return store && typeof store === 'object' && !unusable && typeof store.region === 'string' ? store.region : undefined;
}

export function checkPulumiDescription(split: AnySplitSpec, findings: Findings): SynthesizedSplit | undefined {
  const before = findings.problems.length;
  checkLiteralValues(split, '', findings.under('split'), OUTPUT_IN_DESCRIPTION);
  const refused = new Set(findings.problems.map((problem) => problem.path));
  const scratch = new Findings(findings.isLateBound);
  // No Output was refused: the description is all plain values, nothing to leave out.
  const literal = findings.problems.length === before ? split : withoutLateBound(split, findings.isLateBound);
  const synthesized = checkSplit(literal, scratch.under('split'));
  for (const problem of scratch.problems) {
    if (!refused.has(problem.path)) findings.problem(problem.path, problem.message, problem.fix);
  }
  for (const warning of scratch.warnings) findings.warn(warning.id, warning.path, warning.message);
  return synthesized;
}
