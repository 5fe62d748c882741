import { describe, expect, it } from 'vitest';
import { awsSides, installBenchMocks, k8sSides, pulumiSides } from '../../bench/sides';

/**
 * `npm run bench` times the library against hand-written equivalents that must build the same
 * output: these cells check that they still do (nothing is timed here), so a change of the
 * library's output that a baseline does not follow fails here, not in the next benchmark run.
 */
describe('the benchmark\'s hand-written baselines', () => {
  it.each([[1, 2], [10, 1]])('build the same Kubernetes manifests as the library (%i datasets x %i apps)', (datasets, apps) => {
    const sides = k8sSides(datasets, apps);
    expect(sides.handWritten()).toContain('kind: NetworkPolicy');
  });

  it.each([[1, 2], [10, 1]])('synthesize the same AWS template as the library, as L2 constructs and as L1 literals (%i datasets x %i apps)', (datasets, apps) => {
    const sides = awsSides(datasets, apps);
    expect(JSON.parse(sides.asLiterals()).Resources).toBeDefined();
  });

  it.each(['gcp', 'azure'] as const)('register the same %s resources and URNs as the library', async (target) => {
    installBenchMocks();
    const sides = await pulumiSides(target, 3, 2);
    await expect(sides.handWritten()).resolves.toBeUndefined();
  });
});
