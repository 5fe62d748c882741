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
  // Descriptions are large and almost always literal: a plain scan first, paths only when there is something to report.
  if (!holdsLateBound(value, findings.isLateBound)) return;
  const keys: (string | number)[] = [];
  const pathHere = () => keys.reduce<string>((at, key) => (typeof key === 'number' ? `${at}[${key}]` : at ? `${at}.${key}` : key), path);
  const visit = (item: unknown): void => {
    if (findings.isLateBound(item)) {
      findings.problem(pathHere() || ROOT_PATH, `is ${refusal.what}, but ${refusal.why}`, refusal.fix);
    } else if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) visitAt(i, item[i]);
    } else if (item && typeof item === 'object') {
      for (const key of Object.keys(item)) visitAt(key, (item as Record<string, unknown>)[key]);
    }
  };
  const visitAt = (key: string | number, item: unknown): void => {
    keys.push(key);
    visit(item);
    keys.pop();
  };
  visit(value);
}

/** Whether a late-bound value is anywhere inside `value`. */
function holdsLateBound(value: unknown, isLateBound: (value: unknown) => boolean): boolean {
  if (isLateBound(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (holdsLateBound(value[i], isLateBound)) return true;
    return false;
  }
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key) && holdsLateBound((value as Record<string, unknown>)[key], isLateBound)) return true;
  }
  return false;
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
