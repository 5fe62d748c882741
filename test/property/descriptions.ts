import fc from 'fast-check';
import type { DatasetSpec, SnapshotStoreSpec, SplitSpec } from '../../lib/core';
import { ENTERPRISE_2 } from '../support/splits';

/** The clouds a description is deployed on: each valid description is rendered once per cloud. */
export const CLOUDS = ['aws', 'gcp', 'azure'] as const;
export type Cloud = (typeof CLOUDS)[number];

/** Where each cloud's test cluster runs; the snapshot store is put in the same region. */
export const REGIONS: Readonly<Record<Cloud, string>> = { aws: 'eu-west-1', gcp: 'europe-west4', azure: 'westeurope' };

/** A container of an application that gets a reader sidecar. */
export interface AppSpec {
  readonly name: string;
  readonly namespace: string;
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly port: number;
  /** The datasets the application reads, or every reader dataset. */
  readonly datasets?: readonly string[];
  /** Pod settings that clash with the sidecar (only set by defects). */
  readonly hostNetwork?: boolean;
  readonly serviceAccountName?: string;
}

/**
 * A description without its snapshot store: the store is the one thing bound to a cloud, so the
 * same description is rendered with an S3, a GCS and an Azure Blob store in turn.
 */
export interface NeutralDescription {
  readonly spec: Omit<SplitSpec, 'store'>;
  readonly prefix?: string;
  readonly apps: readonly AppSpec[];
}

/** The description with a store of the cloud, named after the split. */
export function onCloud(description: NeutralDescription, cloud: Cloud): SplitSpec {
  const bucket = `${description.spec.name}-snapshots`;
  const region = REGIONS[cloud];
  const prefix = description.prefix;
  const store: SnapshotStoreSpec = cloud === 'azure'
    ? { cloud, account: `${description.spec.name.replace(/-/g, '')}snaps`.slice(0, 24), container: 'spice', region, prefix }
    : { cloud, bucket, region, prefix };
  return { ...description.spec, store } as SplitSpec;
}

const dnsLabel = (max: number) => fc.stringMatching(new RegExp(`^[a-z][a-z0-9]{0,${max - 2}}[a-z0-9]$`));
const datasetName = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
const secret = (param: string, key: string) => ({ [param]: { secretName: 'sources', key } });

const datasetShape = fc.record({
  readers: fc.constantFrom('accelerated', 'delegated', 'writer-only' as const),
  source: fc.constantFrom('s3', 's3-keys', 'postgres', 'mysql' as const),
  engine: fc.constantFrom('duckdb', 'sqlite', 'turso', 'arrow' as const),
  mode: fc.constantFrom('full', 'append', 'changes' as const),
  interval: fc.constantFrom(undefined, '1m', '10m', '1h'),
  creationPolicy: fc.constantFrom(undefined, 'always', 'on_change' as const),
  size: fc.constantFrom(undefined, '500Mi', '4Gi', '20Gi'),
});

type DatasetShape = typeof datasetShape extends fc.Arbitrary<infer T> ? T : never;

/**
 * A dataset valid on every cloud: readers restore database sources only from published snapshots
 * (an S3-only feature), so database sources go to readers by delegation or not at all.
 */
function dataset(name: string, shape: DatasetShape): DatasetSpec {
  const database = shape.source === 'postgres' || shape.source === 'mysql';
  const readers = database && shape.readers === 'accelerated' ? 'delegated' : shape.readers;
  const engine = readers === 'accelerated' && shape.engine === 'arrow' ? 'duckdb' : shape.engine;
  const from = database ? `${shape.source}:app.${name}` : `s3://lake/${name}/`;
  const secretParams = shape.source === 'postgres' ? secret('pg_pass', name)
    : shape.source === 'mysql' ? secret('mysql_pass', name)
      : shape.source === 's3-keys' ? { ...secret('s3_key', `${name}-id`), ...secret('s3_secret', name) } : undefined;
  return {
    name,
    from,
    readers,
    engine,
    params: shape.source === 's3-keys' ? { s3_auth: 'key', file_format: 'parquet' } : database ? undefined : { file_format: 'parquet' },
    secretParams,
    refresh: { mode: shape.mode, checkInterval: shape.interval },
    timeColumn: shape.mode === 'append' ? 'updated_at' : undefined,
    snapshots: shape.creationPolicy ? { creationPolicy: shape.creationPolicy } : undefined,
    expectedSize: shape.size,
  };
}

const app = fc.record({
  name: dnsLabel(12),
  namespace: dnsLabel(12),
  kind: fc.constantFrom('Deployment', 'StatefulSet' as const),
  port: fc.integer({ min: 1024, max: 8000 }),
  allDatasets: fc.boolean(),
});

/** Valid descriptions by construction, with one to three applications reading them. */
export const validDescriptions: fc.Arbitrary<NeutralDescription> = fc
  .record({
    name: dnsLabel(20),
    namespace: fc.option(dnsLabel(20), { nil: undefined }),
    prefix: fc.option(fc.stringMatching(/^[a-z]([a-z0-9-]{0,7}[a-z0-9])?(\/[a-z0-9]([a-z0-9-]{0,7}[a-z0-9])?)?$/), { nil: undefined }),
    enterprise: fc.boolean(),
    names: fc.uniqueArray(datasetName, { minLength: 1, maxLength: 5 }),
    shapes: fc.array(datasetShape, { minLength: 5, maxLength: 5 }),
    replicas: fc.integer({ min: 2, max: 5 }),
    retention: fc.constantFrom(undefined, { refreshSnapshots: '24h', dailyArchive: '7d' }, { refreshSnapshots: '48h', dailyArchive: 'none' as const }),
    bootstrap: fc.constantFrom(undefined, 'fallback', 'retry' as const),
    apps: fc.uniqueArray(app, { minLength: 1, maxLength: 3, selector: (a) => `${a.namespace}/${a.name}` }),
  })
  .map((d): NeutralDescription => {
    const datasets = d.names.map((name, i) => dataset(name, d.shapes[i]));
    const readable = datasets.filter((ds) => ds.readers !== 'writer-only').map((ds) => ds.name);
    return {
      spec: {
        name: d.name,
        namespace: d.namespace,
        image: d.enterprise ? ENTERPRISE_2 : undefined,
        datasets,
        writer: { replicas: d.replicas },
        retention: d.retention,
        reader: d.bootstrap ? { bootstrapOnFailure: d.bootstrap } : undefined,
      },
      prefix: d.prefix,
      apps: d.apps.map(({ allDatasets, ...rest }) => ({ ...rest, datasets: allDatasets || readable.length === 0 ? undefined : readable.slice(0, 1) })),
    };
  });
