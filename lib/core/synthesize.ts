import { renderArchiverSpicepod } from './archiver-spicepod';
import { DescriptionLock, lockResolvedSplit } from './description-lock';
import { Findings, SplitWarning, ValidationProblem } from './errors';
import { renderReaderSpicepod } from './reader-spicepod';
import { retentionPlan, RetentionPlan } from './retention';
import { AnySplitSpec, checkResolvedSplit, hasStore, resolveSplit, ResolvedSplit, SplitSpec, storedSplit, tierSizing, TierSizing } from './split';
import { TierSpicepod } from './spicepod';
import { renderWriterSpicepod } from './writer-spicepod';

/** Everything the core derives from one split description; adapters map these plain objects. */
export interface SynthesizedSplit {
  readonly split: ResolvedSplit;
  /**
   * The writer cluster's Spicepods.
   *
   * @throws SplitValidationError when the writer is a Spice Cloud app (`split.writer.spiceCloud`): its Spicepod is the app's, in Spice Cloud
   */
  readonly writer: {
    /** The one replica that uploads snapshots. */
    readonly snapshotOwner: TierSpicepod;
    /** Every other replica: bootstraps from snapshots, never uploads. */
    readonly queryReplica: TierSpicepod;
  };
  readonly reader: TierSpicepod;
  /** Writes the daily archive; undefined when no archive is kept, nothing is accelerated or the writer is a Spice Cloud app. */
  readonly archiver?: TierSpicepod;
  /**
   * The snapshot store's lifecycle.
   *
   * @throws SplitValidationError when the writer is a Spice Cloud app: the split has no snapshot store
   */
  readonly retention: RetentionPlan;
  readonly sizing: TierSizing;
  readonly warnings: readonly SplitWarning[];
}

/** A value computed on first read, then kept. */
function once<T>(compute: () => T): () => T {
  let computed: { readonly value: T } | undefined;
  return () => (computed ??= { value: compute() }).value;
}

/**
 * Everything derived from a checked split. The Spicepods and the sizing are computed on first read: the
 * cloud adapters need the plans, not the Spicepods, and rendering a large split's is the costly part.
 */
function synthesizeResolved(split: ResolvedSplit): SynthesizedSplit {
  // A Spice Cloud app's Spicepod and storage are in Spice Cloud: asking for them is refused by name.
  const stored = (what: string) => storedSplit(split, what, 'split');
  const writer = once(() => ({
    snapshotOwner: renderWriterSpicepod(stored('SynthesizedSplit.writer'), 'snapshot-owner'),
    queryReplica: renderWriterSpicepod(stored('SynthesizedSplit.writer'), 'query-replica'),
  }));
  const reader = once(() => renderReaderSpicepod(split));
  const archiver = once(() => (hasStore(split) ? renderArchiverSpicepod(split) : undefined));
  const retention = once(() => retentionPlan(stored('SynthesizedSplit.retention').store, split.retention));
  const sizing = once(() => tierSizing(split));
  return {
    split,
    get writer() {
      return writer();
    },
    get reader() {
      return reader();
    },
    get archiver() {
      return archiver();
    },
    get retention() {
      return retention();
    },
    get sizing() {
      return sizing();
    },
    warnings: split.warnings,
  };
}

/**
 * Checks a split description and renders everything from it.
 *
 * @throws SplitValidationError listing every problem of the description
 */
export function synthesizeSplit(spec: AnySplitSpec): SynthesizedSplit {
  return synthesizeResolved(resolveSplit(spec));
}

/**
 * The adapters' way in: checks a description without throwing, adding its problems and warnings
 * to `findings` (rooted where the description sits in the adapter's props, e.g. `split`), and
 * renders it when it has no problem.
 */
export function checkSplit(spec: AnySplitSpec, findings: Findings): SynthesizedSplit | undefined {
  const split = checkResolvedSplit(spec, findings);
  return split && synthesizeResolved(split);
}

/** What checking a description found, without throwing. */
export interface SplitValidation {
  /** Every problem; empty when the description is valid. */
  readonly problems: readonly ValidationProblem[];
  /** Valid but risky choices that are not acknowledged. */
  readonly warnings: readonly SplitWarning[];
}

/** Checks a description and returns every problem and warning (for editors, CLIs and CI checks). */
export function validateSplit(spec: AnySplitSpec): SplitValidation {
  const findings = new Findings();
  checkResolvedSplit(spec, findings);
  return { problems: findings.problems, warnings: findings.warnings };
}

/**
 * The lock of a description: what readers running it depend on, as plain JSON to commit after
 * the description is deployed, and to check the next description against (`upgradeFrom`).
 *
 * @throws SplitValidationError when the description has a problem (including against its own `upgradeFrom`), or its writer is a Spice Cloud app (no lock: a lock names the snapshot store)
 */
export function lockDescription(spec: SplitSpec): DescriptionLock {
  return lockResolvedSplit(storedSplit(resolveSplit(spec), 'lockDescription'));
}
