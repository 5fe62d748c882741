import { readerLocalDiskFor, ResolvedSplit } from '../core';
import type { SplitFile } from './split-file';

/** Where an application's reader disk comes from: its entry's `localDisk`, the description's `reader.localDisk`, or the datasets it restores. */
export type LocalDiskSource = 'own' | 'description' | 'derived';

/** One application of the file's `kubernetes.apps` as its sidecar is sized: what it restores and the disk it gets. */
export interface ApplicationSize {
  /** The application's entry: `kubernetes.apps[i]`. */
  readonly at: string;
  /** Its manifest, and the workload when the entry names one. */
  readonly application: string;
  readonly restores: readonly string[];
  readonly delegates: readonly string[];
  /** The size limit of its sidecar's `/local`. */
  readonly localDisk: string;
  readonly localDiskFrom: LocalDiskSource;
}

/**
 * Each application's reader, sized as its sidecar is rendered: a reader of some datasets, or with
 * its own `localDisk`, does not get the split-wide figures `size` prints for the reader tier.
 */
export function applicationSizes(file: SplitFile, split: ResolvedSplit): ApplicationSize[] {
  return (file.kubernetes?.apps ?? []).map((app, i) => {
    const reads = split.datasets.filter((d) => app.datasets === undefined || app.datasets.includes(d.name));
    const from: LocalDiskSource = app.localDisk !== undefined ? 'own' : split.reader.localDiskGiven ? 'description' : 'derived';
    return {
      at: `kubernetes.apps[${i}]`,
      application: app.workload === undefined ? app.manifest : `${app.manifest} (${app.workload})`,
      restores: reads.filter((d) => d.readers === 'accelerated').map((d) => d.name),
      delegates: reads.filter((d) => d.readers === 'delegated').map((d) => d.name),
      localDisk: readerLocalDiskFor(split.reader, split.datasets, app.datasets, app.localDisk),
      localDiskFrom: from,
    };
  });
}
