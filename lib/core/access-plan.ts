import { ResolvedSplit } from './split';

/** What an identity may do under a prefix of the snapshot bucket. */
export type PrefixAccessLevel = 'read' | 'read-write';

/** Access to one prefix (relative to the bucket or container, ending in `/`). */
export interface PrefixAccess {
  readonly prefix: string;
  readonly access: PrefixAccessLevel;
}

/**
 * Who may do what in the snapshot bucket: the writer identity (writers and archiver) reads,
 * writes and deletes under the split's prefix; the reader identity only reads the refresh
 * location. Neither gets anything outside the prefix, and readers get no source access at all.
 */
export interface AccessPlan {
  readonly writer: readonly PrefixAccess[];
  readonly reader: readonly PrefixAccess[];
}

/** The access plan of a split; each cloud adapter maps it to its own permissions. */
export function accessPlan(split: ResolvedSplit): AccessPlan {
  return {
    writer: [{ prefix: `${split.store.prefix}/`, access: 'read-write' }],
    reader: [{ prefix: split.store.refresh.folder, access: 'read' }],
  };
}
