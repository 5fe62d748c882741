import { describe, expect, it } from 'vitest';
import { bin, run } from '../support/run';

/** Checks of values known only at deploy time fail the program, as `pulumi up` would (own process: the failure ends it). */
describe('deploy-time checks', () => {
  it('fail on a project number that resolves to no number before any resource is created, and grant no principal of project "undefined"', () => {
    const result = run(bin('tsx'), ['test/gcp/fixtures/bad-project-number.ts']);
    expect(result.status, result.output).not.toBe(0);
    expect(result.stderr).toContain("args.cluster.projectNumber: undefined is not a project number; give the project's number (digits)");
    expect(result.stdout).not.toContain('projects/undefined');
    // The bucket waits for the check, as for Private Google Access: a wrong number leaves no bucket without grants behind.
    expect(result.stdout.trim().split('\n')).toEqual(['registered read-write-split:index:ReadWriteSplitGcp catalog']);
  });
});
