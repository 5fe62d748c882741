import { Chart } from 'cdk8s';
import { Construct } from 'constructs';

const rendered = new WeakMap<Chart, Set<string>>();

/**
 * True the first time `what` is asked for in `namespace` of the scope's chart: for the objects
 * every chart with a reader renders in its namespace (each chart deploys on its own), once.
 */
export function firstInNamespace(scope: Construct, what: string, namespace: string | undefined): boolean {
  const chart = Chart.of(scope);
  const done = rendered.get(chart) ?? new Set<string>();
  rendered.set(chart, done);
  const key = `${what}\n${namespace ?? ''}`;
  if (done.has(key)) return false;
  done.add(key);
  return true;
}
