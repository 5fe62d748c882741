import { join } from 'node:path';
import { readDescriptionLock, UpgradeSpec } from 'read-write-split';

/**
 * Where the lock of an example split is committed: `examples/splits/locks/<split>.lock.json`, the
 * description last deployed. Resolved from this file, so every tool finds it, whatever its
 * working directory (cdk8s and cdk run in examples/k8s and examples/aws).
 */
export function lockFile(split: string, dir = join(__dirname, 'locks')): string {
  return join(dir, `${split}.lock.json`);
}

/**
 * Checks an example split against its lock on every synth: a change that readers still running
 * the deployed description would not survive is refused unless listed in `allow`. After a deploy,
 * `npm run lock` writes the locks again (then remove the allowances the deploy used).
 */
export function upgradeFromLock(split: string, allow?: UpgradeSpec['allow']): UpgradeSpec {
  return { lock: readDescriptionLock(lockFile(split)), allow };
}
