import { Findings, ROOT_PATH } from './errors';

/** How a framework's late-bound values are named and refused. */
export interface LateBoundRefusal {
  /** What such a value is, e.g. `a CDK token`. */
  readonly what: string;
  /** Why it cannot be there. */
  readonly why: string;
  readonly fix: string;
}

/**
 * Reports every late-bound value (a CDK token, a Pulumi Output: `findings.isLateBound`) inside
 * `value`, which must be literal: the split description is shared with the Kubernetes side, and
 * names of resources and principals must be known when the program runs.
 */
export function checkLiteralValues(value: unknown, path: string, findings: Findings, refusal: LateBoundRefusal): void {
  if (findings.isLateBound(value)) {
    findings.problem(path || ROOT_PATH, `is ${refusal.what}, but ${refusal.why}`, refusal.fix);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => checkLiteralValues(item, `${path}[${i}]`, findings, refusal));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) checkLiteralValues(item, path ? `${path}.${key}` : key, findings, refusal);
  }
}

/**
 * A copy of `value` with every late-bound value left out (`undefined`), so that checks after
 * `checkLiteralValues` see no placeholder text (a Pulumi Output's string form is a warning, not a
 * value) and report nothing twice.
 */
export function withoutLateBound<T>(value: T, isLateBound: (value: unknown) => boolean): T {
  if (isLateBound(value)) return undefined as T;
  if (Array.isArray(value)) return value.map((item) => withoutLateBound(item, isLateBound)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutLateBound(item, isLateBound)])) as T;
  }
  return value;
}
