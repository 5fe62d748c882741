import { checkDescriptionLock, DescriptionLock, LockedStore } from './description-lock';
import { ARCHIVE_FOLDER, REFRESH_FOLDER } from './snapshot-store';
import { Findings, quote, ROOT_PATH } from './errors';
import type { SplitSpec } from './split';
import { SPLIT_CHANGE_KINDS, UPGRADE_CHANGE_KINDS, UpgradeChange, upgradeChanges, UpgradeChangeKind } from './upgrade-changes';

/** One breaking change you have planned for, e.g. `{ change: 'engine', dataset: 'orders' }`. */
export interface UpgradeAllowance {
  /** The kind of change allowed. */
  readonly change: UpgradeChangeKind;
  /**
   * The dataset the change is allowed for: its name in the new description (in the lock, for
   * `dataset-removed`). Required for dataset changes; refused for `name`, `namespace`, `store` and `writer-volume`.
   *
   * @default - none: a change of the whole split
   */
  readonly dataset?: string;
}

/** The last deployed description, to check a new one against before anything is synthesized. */
export interface UpgradeSpec {
  /** The lock of the last deployed description, e.g. `readDescriptionLock('split.lock.json')`. */
  readonly lock: DescriptionLock;
  /**
   * Breaking changes you have planned for (readers restarted, or losing a dataset for a while, on
   * purpose). Each must match a change the description makes: one left behind after the lock is
   * written again is refused, so that it cannot let a later change through unreviewed.
   *
   * @default - none: every breaking change is refused
   */
  readonly allow?: readonly UpgradeAllowance[];
}

const UPGRADE_PATH = 'upgradeFrom';

function describeAllowance(allowance: UpgradeAllowance): string {
  return allowance.dataset === undefined ? `{ change: '${allowance.change}' }` : `{ change: '${allowance.change}', dataset: '${allowance.dataset}' }`;
}

/** Checks the allowances; returns the well-formed ones with their index (others are reported). */
function checkAllowances(allow: unknown, findings: Findings): { readonly allowance: UpgradeAllowance; readonly index: number }[] {
  if (allow === undefined) return [];
  if (!Array.isArray(allow)) {
    findings.problem(ROOT_PATH, `${quote(allow)} is not a list`, "list the changes you allow, e.g. [{ change: 'engine', dataset: 'orders' }]");
    return [];
  }
  return allow.flatMap((allowance: UpgradeAllowance, index) => {
    const at = findings.under(`[${index}]`);
    if (!allowance || typeof allowance !== 'object') {
      at.problem(ROOT_PATH, `${quote(allowance)} is not an allowance`, "write { change: 'engine', dataset: 'orders' }");
      return [];
    }
    const before = findings.problems.length;
    if (!UPGRADE_CHANGE_KINDS.includes(allowance.change)) {
      at.problem('change', `${quote(allowance.change)} is not a change the upgrade check reports`, `use one of ${UPGRADE_CHANGE_KINDS.map((kind) => `'${kind}'`).join(', ')}`);
    } else if (SPLIT_CHANGE_KINDS.includes(allowance.change)) {
      if (allowance.dataset !== undefined) at.problem('dataset', `is not used by a '${allowance.change}' change: it concerns the whole split`, 'remove it');
    } else if (typeof allowance.dataset !== 'string' || allowance.dataset === '') {
      at.problem('dataset', `${quote(allowance.dataset)} is not a dataset name: '${allowance.change}' changes are allowed one dataset at a time`, "name the dataset as the description does (for 'dataset-removed', as the lock does)");
    }
    return findings.problems.length === before ? [{ allowance, index }] : [];
  });
}

function fixFor(change: UpgradeChange): string {
  const allowance = describeAllowance({ change: change.kind, dataset: change.dataset });
  const risk = change.kind === 'writer-volume'
    ? 'the writer StatefulSets are deleted with --cascade=orphan before applying'
    : 'readers of the previous description may fail until they are replaced';
  return `${change.undo}; or, if that is planned (${risk}), allow it: upgradeFrom: { lock, allow: [${allowance}] }`;
}

/**
 * Checks `spec.upgradeFrom`: the lock and the allowances always; the changes from the lock to the
 * new description (`current`, its lock) only when the description itself has no problem, as the
 * values of a broken one mean little. Every change not allowed is a problem at its property path,
 * and so is every allowance that matches no change. Allowed changes report nothing.
 */
export function checkUpgrade(spec: SplitSpec, current: DescriptionLock | undefined, findings: Findings): void {
  const upgrade: unknown = spec.upgradeFrom;
  if (upgrade === undefined) return;
  const at = findings.under(UPGRADE_PATH);
  if (!upgrade || typeof upgrade !== 'object' || Array.isArray(upgrade)) {
    at.problem(ROOT_PATH, `${quote(upgrade)} is not { lock, allow? }`, 'pass the lock of the last deployed description: { lock: readDescriptionLock(file) }');
    return;
  }
  const { lock, allow } = upgrade as UpgradeSpec;
  const lockValid = checkDescriptionLock(lock, at.under('lock'));
  const allowances = checkAllowances(allow, at.under('allow'));
  if (!lockValid || !current || findings.problems.length > 0) return;
  const used = new Set<number>();
  const defaulted = { namespace: spec.namespace === undefined, prefix: spec.store?.prefix === undefined, storageSize: spec.writer?.storageSize === undefined };
  for (const change of upgradeChanges(lock, current, defaulted)) {
    const matching = allowances.filter(({ allowance }) => allowance.change === change.kind && allowance.dataset === change.dataset);
    matching.forEach(({ index }) => used.add(index));
    if (matching.length === 0) findings.problem(change.path, change.message, fixFor(change));
    else if (change.path === 'store.prefix' && sameStore(lock.store, current.store)) warnPrefixLeftBehind(lock.store, findings);
  }
  for (const { allowance, index } of allowances.filter(({ index }) => !used.has(index))) {
    at.problem(
      `allow[${index}]`,
      `allows ${describeAllowance(allowance)}, but the description makes no such change against the lock`,
      'remove it: once the lock is written again after a deploy, an allowance left behind would let the next such change through unreviewed',
    );
  }
}

function sameStore(previous: LockedStore, next: LockedStore): boolean {
  return previous.cloud === next.cloud && previous.bucket === next.bucket && previous.account === next.account && previous.container === next.container;
}

/**
 * The lifecycle rules follow the new prefix: what the old one holds is never expired once it has
 * moved (a store left behind keeps its own rules; a prefix in the same one does not).
 */
function warnPrefixLeftBehind(previous: LockedStore, findings: Findings): void {
  const { bucket, account, container, prefix } = previous;
  // The split's two folders only: the new prefix may lie below the old one (`shop` to `shop/v2`).
  const folders = [REFRESH_FOLDER, ARCHIVE_FOLDER].map((folder) => `${prefix}/${folder}/`);
  const commands = folders.map((folder) => (previous.cloud === 'aws' ? `aws s3 rm s3://${bucket}/${folder} --recursive`
    : previous.cloud === 'gcp' ? `gcloud storage rm --recursive gs://${bucket}/${folder}`
      : `az storage blob delete-batch --account-name ${account} --source ${container} --pattern '${folder}*' --auth-mode login`));
  const versions = previous.cloud === 'azure' ? '' : ' (on a versioned bucket, their noncurrent versions too)';
  findings.warn(
    'store-prefix-left-behind',
    'store.prefix',
    `moves the snapshots and the archive out of ${folders.map((folder) => quote(folder)).join(' and ')}, where no lifecycle rule expires them any more (the rules follow the new prefix): once no reader of the previous description restores from them, delete them${versions}: ${commands.join('; ')}`,
  );
}
