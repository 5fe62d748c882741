import type { SplitSpec } from '../../lib';

/**
 * Another split made from an example one: without the example's `upgradeFrom` (the lock of the
 * deployed example), as the result is a split of its own, not an upgrade of the deployed example.
 */
export function derivedSplit(example: SplitSpec, changes: Partial<SplitSpec>): SplitSpec {
  return { ...example, upgradeFrom: undefined, ...changes };
}
