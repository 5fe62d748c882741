import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DatasetSpec, SnapshotStoreSpec, SplitSpec, synthesizeSplit } from '../../lib/core';
import { ENTERPRISE_FILE_FORMAT } from '../support/spice-images';
import { ENTERPRISE_2 } from '../support/splits';
import { expectValidSpicepod } from '../support/spicepod-schema';

const stores: SnapshotStoreSpec[] = [
  { cloud: 'aws', bucket: 'snaps', region: 'eu-west-1' },
  { cloud: 'gcp', bucket: 'snaps', region: 'europe-west4', prefix: 'spice/prod' },
  { cloud: 'azure', account: 'snaps', container: 'spice', region: 'westeurope' },
];

const datasetShape = fc.record({
  readers: fc.constantFrom('accelerated', 'delegated', 'writer-only' as const),
  engine: fc.constantFrom('duckdb', 'sqlite', 'turso', 'arrow' as const),
  database: fc.boolean(),
  mode: fc.constantFrom('full', 'append', 'changes', 'caching' as const),
  secret: fc.boolean(),
});

/** Valid splits by construction: every generated description must render. */
const splits = fc
  .record({
    enterprise: fc.boolean(),
    fileFormat: fc.boolean(),
    store: fc.constantFrom(...stores),
    bootstrap: fc.constantFrom('fallback', 'retry' as const),
    names: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/), { minLength: 1, maxLength: 6 }),
    shapes: fc.array(datasetShape, { minLength: 6, maxLength: 6 }),
  })
  .map(({ enterprise, fileFormat, store, bootstrap, names, shapes }): SplitSpec => ({
    name: 'prop',
    // file_format: snapshot is for S3 stores only (refused elsewhere).
    image: enterprise ? (fileFormat && store.cloud === 'aws' ? ENTERPRISE_FILE_FORMAT : ENTERPRISE_2) : undefined,
    store,
    reader: { bootstrapOnFailure: bootstrap },
    datasets: names.map((name, i): DatasetSpec => {
      const shape = shapes[i];
      const accelerated = shape.readers === 'accelerated';
      // Readers restore a database source only from published snapshots (file_format: snapshot, S3).
      const database = shape.database && ((enterprise && fileFormat && store.cloud === 'aws') || !accelerated);
      return {
        name,
        from: database ? `postgres:public.${name}` : `s3://lake/${name}/`,
        readers: shape.readers,
        engine: accelerated && shape.engine === 'arrow' ? 'duckdb' : shape.engine,
        refresh: { mode: shape.mode },
        timeColumn: shape.mode === 'append' ? 'updated_at' : undefined,
        // A database source always logs in with credentials; an S3 source may use the pod's role.
        secretParams: shape.secret || database ? { [database ? 'pg_pass' : 's3_secret']: { secretName: 'src', key: name } } : undefined,
      };
    }),
  }));

describe('for every valid split', () => {
  it('both tiers render schema-valid Spicepods that keep the pattern\'s invariants', () => {
    fc.assert(
      fc.property(splits, (spec) => {
        const result = synthesizeSplit(spec);
        const owner = result.writer.snapshotOwner.spicepod;
        const replica = result.writer.queryReplica.spicepod;
        const reader = result.reader.spicepod;
        for (const pod of [owner, replica, reader]) expectValidSpicepod(pod);

        // Readers hold no source credential: the only secret they reference is the cluster API key.
        const readerSecrets = JSON.stringify(reader).match(/\$\{secrets:[A-Z0-9_]+\}/g) ?? [];
        expect(new Set(readerSecrets)).toEqual(new Set(readerSecrets.length ? ['${secrets:SPICE_CLUSTER_API_KEY}'] : []));
        expect(result.reader.secretEnv.every((b) => b.purpose === 'cluster-api-key')).toBe(true);

        // Readers never write snapshots and never boot empty.
        for (const dataset of reader.datasets) expect(['bootstrap_only', undefined]).toContain(dataset.acceleration?.snapshots);
        if (reader.snapshots) expect(['fallback', 'retry']).toContain(reader.snapshots.bootstrap_on_failure_behavior);

        // Only the snapshot owner uploads.
        expect(replica.datasets.filter((d) => ['enabled', 'create_only'].includes(d.acceleration?.snapshots ?? ''))).toEqual([]);

        // Writer and reader agree on names and engines; every reader dataset exists on the writer.
        const writerEngines = new Map(owner.datasets.map((d) => [d.name, d.acceleration?.engine]));
        for (const dataset of reader.datasets) {
          expect(writerEngines.has(dataset.name)).toBe(true);
          if (dataset.acceleration?.engine) expect(dataset.acceleration.engine).toBe(writerEngines.get(dataset.name));
        }

        // Each accelerated dataset has its own acceleration file, in each tier.
        for (const pod of [owner, reader]) {
          const files = pod.datasets.flatMap((d) => Object.entries(d.acceleration?.params ?? {}).filter(([k]) => k.endsWith('_file')).map(([, v]) => v));
          expect(new Set(files).size).toBe(files.length);
        }

        // Delegated datasets go to the writer's Flight endpoint with the spiceai_ params.
        for (const dataset of reader.datasets.filter((d) => d.from.startsWith('spice.ai:'))) {
          expect(Object.keys(dataset.params ?? {}).sort()).toEqual(['spiceai_api_key', 'spiceai_endpoint']);
        }
      }),
      { numRuns: 150 },
    );
  });
});
