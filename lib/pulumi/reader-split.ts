import { AnySplitSpec, Findings, isSpiceCloudSplit, quote, SynthesizedSplit } from '../core';
import { checkPulumiDescription } from './checks';

/** The split a reader component reads, and whether it is a Spice Cloud split's description. */
export interface ReaderSplit {
  /** Undefined when it is unusable (reported). */
  readonly synthesized?: SynthesizedSplit;
  readonly spiceCloud: boolean;
}

/** The split component a reader takes, and what it grants the reader. */
export interface ReaderSplitComponent {
  /** Its class name, e.g. `ReadWriteSplitGcp`. */
  readonly name: string;
  /** What of the store it grants the reader, e.g. `bucket`. */
  readonly grants: string;
  /** The checked split of `split` when it is that component. */
  readonly synthesizedOf: (split: unknown) => SynthesizedSplit | undefined;
}

/**
 * The split a reader component reads: the split component's (checked there), or a Spice Cloud
 * split's description, checked here at `split…`. Anything else is reported at `args.split`.
 */
export function pulumiReaderSplit(split: unknown, component: ReaderSplitComponent, findings: Findings): ReaderSplit {
  const fromComponent = component.synthesizedOf(split);
  if (fromComponent) return { synthesized: fromComponent, spiceCloud: false };
  const isObject = typeof split === 'object' && split !== null && !Array.isArray(split);
  if (isObject && isSpiceCloudSplit(split as AnySplitSpec)) {
    const before = findings.problems.length;
    const synthesized = checkPulumiDescription(split as AnySplitSpec, findings);
    return { synthesized: findings.problems.length === before ? synthesized : undefined, spiceCloud: true };
  }
  findings.problem(
    'args.split',
    isObject && 'store' in split
      ? `is the description of a split with its own store, whose ${component.grants} the reader is granted by its ${component.name}`
      : `${quote(split)} is not a ${component.name} or a Spice Cloud split`,
    `give the split's ${component.name} component (or, when the writer is a Spice Cloud app, the split's description)`,
  );
  return { spiceCloud: false };
}
