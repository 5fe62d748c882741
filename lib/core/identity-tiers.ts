/**
 * The tier each identity read from a stack output was read as (`parseSplitIdentities`): an Azure
 * client id says nothing of its tier, so the objects themselves are remembered. Internal: not
 * exported from the package.
 */
const tiersRead = new WeakMap<object, 'writer' | 'reader'>();

/** Remembers the tier an identity was read as. */
export function rememberIdentityTier(identity: object | undefined, tier: 'writer' | 'reader'): void {
  if (identity && typeof identity === 'object') tiersRead.set(identity, tier);
}

/** The tier an identity was read as; undefined for one not read from a stack output. */
export function tierReadAs(identity: object): 'writer' | 'reader' | undefined {
  return tiersRead.get(identity);
}
