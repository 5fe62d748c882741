import { renderArchiverSpicepod } from './archiver-spicepod';
import { SplitWarning } from './errors';
import { renderReaderSpicepod } from './reader-spicepod';
import { retentionPlan, RetentionPlan } from './retention';
import { resolveSplit, ResolvedSplit, SplitSpec, tierSizing, TierSizing } from './split';
import { TierSpicepod } from './spicepod';
import { renderWriterSpicepod } from './writer-spicepod';

/** Everything the core derives from one split description; adapters map these plain objects. */
export interface SynthesizedSplit {
  readonly split: ResolvedSplit;
  readonly writer: {
    /** The one replica that uploads snapshots. */
    readonly snapshotOwner: TierSpicepod;
    /** Every other replica: bootstraps from snapshots, never uploads. */
    readonly queryReplica: TierSpicepod;
  };
  readonly reader: TierSpicepod;
  /** Writes the daily archive; undefined when no archive is kept or nothing is accelerated. */
  readonly archiver?: TierSpicepod;
  readonly retention: RetentionPlan;
  readonly sizing: TierSizing;
  readonly warnings: readonly SplitWarning[];
}

/**
 * Checks a split description and renders everything from it.
 *
 * @throws SplitValidationError listing every problem of the description
 */
export function synthesizeSplit(spec: SplitSpec): SynthesizedSplit {
  const split = resolveSplit(spec);
  return {
    split,
    writer: {
      snapshotOwner: renderWriterSpicepod(split, 'snapshot-owner'),
      queryReplica: renderWriterSpicepod(split, 'query-replica'),
    },
    reader: renderReaderSpicepod(split),
    archiver: renderArchiverSpicepod(split),
    retention: retentionPlan(split.store, split.retention),
    sizing: tierSizing(split),
    warnings: split.warnings,
  };
}
