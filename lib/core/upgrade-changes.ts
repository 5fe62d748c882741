import { ReaderPlacement } from './dataset-spec';
import { DescriptionLock, LockedDataset, LockedStore, LockedWriterVolume } from './description-lock';
import { quote } from './errors';
import { parseQuantity } from './quantity';

/**
 * A change from the last deployed description that readers still running it (on its snapshots,
 * or querying its writers over Flight) would not survive:
 * - `name`: the split name, after which every stateful object is named;
 * - `namespace`: where the writer cluster, its volumes and its Flight endpoint live;
 * - `store`: the snapshot location (cloud, bucket, account, container or prefix);
 * - `dataset-removed`, `dataset-renamed` (a removed and an added dataset with the same `from`);
 * - `engine`: a reader rejects a snapshot of another engine;
 * - `source` (`from`), `refresh-sql` (`refresh.sql`), `time-column` (`timeColumn`): what readers serve changes shape;
 * - `readers`: the dataset's placement for readers;
 * - `writer-volume`: the writers' volume claim template (size or storage class), which Kubernetes
 *   refuses to change on a StatefulSet.
 */
export type UpgradeChangeKind =
  | 'name'
  | 'namespace'
  | 'store'
  | 'dataset-removed'
  | 'dataset-renamed'
  | 'engine'
  | 'source'
  | 'refresh-sql'
  | 'time-column'
  | 'readers'
  | 'writer-volume';

/** Every kind of change the upgrade check reports, split-wide ones first. */
export const UPGRADE_CHANGE_KINDS: readonly UpgradeChangeKind[] = [
  'name', 'namespace', 'store', 'writer-volume', 'dataset-removed', 'dataset-renamed', 'engine', 'source', 'refresh-sql', 'time-column', 'readers',
];

/** The kinds that concern the whole split: their allowances name no dataset. */
export const SPLIT_CHANGE_KINDS: readonly UpgradeChangeKind[] = ['name', 'namespace', 'store', 'writer-volume'];

/** One change that running readers would not survive, where it is and how to undo it. */
export interface UpgradeChange {
  readonly kind: UpgradeChangeKind;
  /** The dataset: its name in the new description (in the lock, for a removal); none for split changes. */
  readonly dataset?: string;
  /** Property path in the new description. */
  readonly path: string;
  readonly message: string;
  /** How to undo the change. */
  readonly undo: string;
}

/** Which resolved values of the new description are defaults, for messages. */
export interface DefaultedValues {
  readonly namespace: boolean;
  readonly prefix: boolean;
  readonly storageSize: boolean;
}

const SPLIT_NAME_DEFAULT = ' (the default: the split name)';

/** A value for a message: quoted, or `unset`. */
function shown(value: string | undefined): string {
  return value === undefined ? 'unset' : quote(value);
}

function splitChanges(previous: DescriptionLock, next: DescriptionLock, defaulted: DefaultedValues): UpgradeChange[] {
  const changes: UpgradeChange[] = [];
  if (previous.name !== next.name) {
    changes.push({
      kind: 'name',
      path: 'name',
      message: `${quote(next.name)} was ${quote(previous.name)} in the lock: every object of the split is named after it (the writers' StatefulSets and volumes, the identities, the Flight endpoint), so the deployed split would be replaced, not upgraded`,
      undo: `keep the name ${quote(previous.name)}`,
    });
  }
  if (previous.namespace !== next.namespace) {
    changes.push({
      kind: 'namespace',
      path: 'namespace',
      message: `${quote(next.namespace)}${defaulted.namespace ? SPLIT_NAME_DEFAULT : ''} was ${quote(previous.namespace)} in the lock: the writer cluster, its volumes and its Flight endpoint would start anew there, while readers of the previous description query the old one`,
      undo: `set namespace: ${quote(previous.namespace)}`,
    });
  }
  return [...changes, ...storeChanges(previous.store, next.store, defaulted), ...writerVolumeChanges(previous.writerVolume, next.writerVolume, defaulted)];
}

/**
 * A StatefulSet's volumeClaimTemplates cannot change: `kubectl apply` and GitOps syncs of the
 * writers fail, and existing volumes keep their size anyway. A derived size moves with the
 * datasets' `expectedSize`, so adding a dataset can change it unnoticed.
 */
function writerVolumeChanges(previous: LockedWriterVolume | undefined, next: LockedWriterVolume | undefined, defaulted: DefaultedValues): UpgradeChange[] {
  if (!previous || !next) return [];
  const refused = 'Kubernetes refuses any change of the writer StatefulSets\' volumeClaimTemplates, so applying the writers would fail';
  const changes: UpgradeChange[] = [];
  const [was, now] = [parseQuantity(previous.size), parseQuantity(next.size)];
  // The same quantity written another way ('35840Mi' for '35Gi') is no change: Kubernetes compares values.
  if (previous.size !== next.size && (was === undefined || now === undefined || was !== now)) {
    const how = now !== undefined && was !== undefined && now < was
      ? `volumes cannot shrink: the deployed ones keep ${previous.size}, and only new replicas would get ${next.size}`
      : 'existing volumes keep their size anyway; to grow them, expand each writer PVC (a storage class with allowVolumeExpansion), delete the StatefulSets with --cascade=orphan, then apply';
    changes.push({
      kind: 'writer-volume',
      path: 'writer.storageSize',
      message: `${quote(next.size)}${defaulted.storageSize ? ' (derived from the datasets\' expectedSize)' : ''} was ${quote(previous.size)} in the lock: ${refused} (${how})`,
      undo: `set writer.storageSize: ${quote(previous.size)}`,
    });
  }
  if (previous.storageClass !== next.storageClass) {
    changes.push({
      kind: 'writer-volume',
      path: 'writer.storageClass',
      message: `${shown(next.storageClass)} was ${shown(previous.storageClass)} in the lock: ${refused} (the deployed volumes keep their class: only new replicas would get the new one)`,
      undo: previous.storageClass === undefined ? 'remove writer.storageClass' : `restore writer.storageClass: ${quote(previous.storageClass)}`,
    });
  }
  return changes;
}

function storeChanges(previous: LockedStore, next: LockedStore, defaulted: DefaultedValues): UpgradeChange[] {
  // Another cloud differs in every name: the cloud says it all.
  const fields = previous.cloud !== next.cloud ? ['cloud'] as const : (['bucket', 'account', 'container', 'prefix'] as const).filter((field) => previous[field] !== next[field]);
  const moved = fields.map((field): UpgradeChange => ({
    kind: 'store',
    path: `store.${field}`,
    message: `${shown(next[field])}${field === 'prefix' && defaulted.prefix ? SPLIT_NAME_DEFAULT : ''} was ${shown(previous[field])} in the lock: readers would restore from a location that holds no snapshot yet, and the snapshots readers of the previous description restore would no longer be written`,
    undo: `restore store.${field}: ${shown(previous[field])}`,
  }));
  // A lock written before regions were locked holds none.
  if (previous.cloud !== next.cloud || previous.region === undefined || previous.region === next.region) return moved;
  return [...moved, {
    kind: 'store',
    path: 'store.region',
    message: `${shown(next.region)} was ${shown(previous.region)} in the lock: a bucket or account stays in the region it was created in, so both tiers would address the deployed store in the wrong region, and the cloud side would create a store of the same name in the new one (which the cloud refuses while the deployed one exists)`,
    undo: `restore store.region: ${shown(previous.region)}`,
  }];
}

/** What readers do with a dataset of each placement. */
const PLACEMENT_ROLES: Readonly<Record<ReaderPlacement, string>> = {
  'accelerated': 'restore it from snapshots',
  'delegated': 'query it on the writers over Flight',
  'writer-only': 'do not serve it',
};

/** What goes wrong when readers take a dataset to each placement. */
const PLACEMENT_RISKS: Readonly<Record<ReaderPlacement, string>> = {
  'accelerated': 'and cannot start before the snapshot owner has written a snapshot of it',
  'delegated': 'so applications read it from two places during the rollout, and no snapshot of it is written any more',
  'writer-only': 'so applications that query it on their reader fail',
};

/** Changes to a dataset that readers of the lock serve, found in the new description at `index`. */
function fieldChanges(previous: LockedDataset, next: LockedDataset, index: number): UpgradeChange[] {
  const at = (field: string) => `datasets[${index}].${field}`;
  const dataset = next.name;
  const changes: UpgradeChange[] = [];
  if (previous.readers !== next.readers) {
    changes.push({
      kind: 'readers', dataset, path: at('readers'),
      message: `${quote(next.readers)} was ${quote(previous.readers)} in the lock: readers of the previous description ${PLACEMENT_ROLES[previous.readers]}, readers of this one ${PLACEMENT_ROLES[next.readers]}, ${PLACEMENT_RISKS[next.readers]}`,
      undo: `restore readers: ${quote(previous.readers)}`,
    });
  }
  if (previous.readers === 'accelerated' && next.readers === 'accelerated' && previous.engine !== next.engine) {
    changes.push({
      kind: 'engine', dataset, path: at('engine'),
      message: `${quote(next.engine)} was ${quote(previous.engine)} in the lock (the resolved engine: 'duckdb' by default): spiced rejects a snapshot of another engine, so readers of either description cannot restore the other's snapshots`,
      undo: `set engine: ${quote(previous.engine)}`,
    });
  }
  if (previous.from !== next.from) {
    changes.push({
      kind: 'source', dataset, path: at('from'),
      message: `${quote(next.from)} was ${quote(previous.from)} in the lock: readers of the previous description keep serving the old source's data and schema`,
      undo: `restore from: ${quote(previous.from)}, and add the new source as a new dataset`,
    });
  }
  if (previous.refreshSql !== next.refreshSql) {
    changes.push({
      kind: 'refresh-sql', dataset, path: at('refresh.sql'),
      message: `${shown(next.refreshSql)} was ${shown(previous.refreshSql)} in the lock: the refresh SQL decides the columns and rows readers serve, and readers of the previous description keep serving the old ones`,
      undo: previous.refreshSql === undefined ? 'remove refresh.sql, and add the filtered data as a new dataset' : `restore refresh.sql: ${quote(previous.refreshSql)}, and add the new query as a new dataset`,
    });
  }
  if (previous.timeColumn !== next.timeColumn) {
    changes.push({
      kind: 'time-column', dataset, path: at('timeColumn'),
      message: `${shown(next.timeColumn)} was ${shown(previous.timeColumn)} in the lock: appends and data windows follow it, and a renamed or retyped time column changes the schema readers of the previous description serve`,
      undo: previous.timeColumn === undefined ? 'remove timeColumn' : `restore timeColumn: ${quote(previous.timeColumn)}`,
    });
  }
  return changes;
}

function removal(previous: LockedDataset, lockIndex: number): UpgradeChange {
  return {
    kind: 'dataset-removed',
    dataset: previous.name,
    path: 'datasets',
    message: `no longer have ${quote(previous.name)} (datasets[${lockIndex}] in the lock, ${previous.readers}): readers of the previous description ${PLACEMENT_ROLES[previous.readers]}, and applications that query it fail on readers of this one`,
    undo: `keep ${quote(previous.name)}`,
  };
}

function rename(previous: LockedDataset, next: LockedDataset, index: number): UpgradeChange {
  return {
    kind: 'dataset-renamed',
    dataset: next.name,
    path: `datasets[${index}].name`,
    message: `${quote(next.name)} was ${quote(previous.name)} in the lock (the same source ${quote(next.from)}): readers find snapshots and query the writers by name, so readers of either description miss the other's dataset`,
    undo: `keep the name ${quote(previous.name)}`,
  };
}

/**
 * Changes to the datasets readers of the lock serve. A writer-only dataset of the lock may change
 * freely: no reader depends on it. A removed dataset and an added one with the same `from` are a
 * rename.
 */
function datasetChanges(previous: DescriptionLock, next: DescriptionLock): UpgradeChange[] {
  const indexes = new Map(next.datasets.map((dataset, i) => [dataset.name, i]));
  const lockedNames = new Set(previous.datasets.map((dataset) => dataset.name));
  const added = next.datasets.map((_, i) => i).filter((i) => !lockedNames.has(next.datasets[i].name));
  const changes: UpgradeChange[] = [];
  previous.datasets.forEach((locked, lockIndex) => {
    if (locked.readers === 'writer-only') return;
    let index = indexes.get(locked.name);
    if (index === undefined) {
      const renamed = added.findIndex((i) => next.datasets[i].from === locked.from);
      if (renamed < 0) {
        changes.push(removal(locked, lockIndex));
        return;
      }
      [index] = added.splice(renamed, 1);
      changes.push(rename(locked, next.datasets[index], index));
    }
    changes.push(...fieldChanges(locked, next.datasets[index], index));
  });
  return changes;
}

/** Every change from `previous` (the lock) to `next` that running readers would not survive. */
export function upgradeChanges(previous: DescriptionLock, next: DescriptionLock, defaulted: DefaultedValues): UpgradeChange[] {
  return [...splitChanges(previous, next, defaulted), ...datasetChanges(previous, next)];
}
