import { Testing } from 'cdk8s';
import { describe, expect, it, vi } from 'vitest';
import { lockDescription, UpgradeAllowance } from '../../lib/core';
import { ReadWriteSplitChart } from '../../lib/k8s';
import { componentProblems } from '../support/errors';
import { WRITER_IRSA } from '../support/k8s';
import { awsSplit } from '../support/splits';

/** The chart of a description changed since its lock was written: orders moved to SQLite. */
function chartOf(allow?: UpgradeAllowance[]) {
  const lock = lockDescription(awsSplit());
  const [orders, ...rest] = awsSplit().datasets;
  const split = awsSplit({ datasets: [{ ...orders, engine: 'sqlite' }, ...rest], upgradeFrom: { lock, allow } });
  return new ReadWriteSplitChart(Testing.app(), 'shop', { split, writerIdentity: WRITER_IRSA });
}

describe('the chart of an upgraded description', () => {
  it('refuses a change running readers would not survive, at its path under split, with the chart path', () => {
    const problems = componentProblems(() => chartOf(), 'shop');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^split\.datasets\[0\]\.engine: "sqlite" was "duckdb" in the lock .*spiced rejects a snapshot of another engine.*allow: \[\{ change: 'engine', dataset: 'orders' \}\] \}$/);
  });

  it('renders it when allowed', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const chart = chartOf([{ change: 'engine', dataset: 'orders' }]);
    expect(chart.synthesized.split.datasets[0].engine).toBe('sqlite');
  });
});
