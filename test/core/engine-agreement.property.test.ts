import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DatasetSpec, SnapshotStoreSpec, SpiceImageSpec, Spicepod, SplitSpec, synthesizeSplit } from '../../lib/core';
import { ENTERPRISE_FILE_FORMAT } from '../support/spice-images';
import { ENTERPRISE_2 } from '../support/splits';

const stores: SnapshotStoreSpec[] = [
  { cloud: 'aws', bucket: 'snaps', region: 'eu-west-1' },
  { cloud: 'gcp', bucket: 'snaps', region: 'europe-west4' },
  { cloud: 'azure', account: 'snaps', container: 'spice', region: 'westeurope' },
];

/** Every kind of image the renderers tell apart: restore only, hot swap, file_format: snapshot. */
const images: (SpiceImageSpec | undefined)[] = [
  undefined,
  { ...ENTERPRISE_2, tag: '1.11.2-enterprise' },
  { ...ENTERPRISE_2, tag: '2.0.0-rc.5-enterprise' },
  ENTERPRISE_2,
  ENTERPRISE_FILE_FORMAT,
];

const splits = fc
  .record({
    image: fc.constantFrom(...images),
    store: fc.constantFrom(...stores),
    datasets: fc.uniqueArray(
      fc.record({
        name: fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/),
        readers: fc.constantFrom('accelerated', 'delegated', 'writer-only' as const),
        engine: fc.constantFrom('duckdb', 'sqlite', 'turso', 'arrow' as const),
      }),
      { minLength: 1, maxLength: 6, selector: (d) => d.name },
    ),
  })
  .map(({ image, store, datasets }): SplitSpec => ({
    name: 'engines',
    // file_format: snapshot is for S3 stores only (refused elsewhere).
    image: image === ENTERPRISE_FILE_FORMAT && store.cloud !== 'aws' ? ENTERPRISE_2 : image,
    store,
    datasets: datasets.map(({ name, readers, engine }): DatasetSpec => ({
      name,
      from: `s3://lake/${name}/`,
      readers,
      // In-memory engines cannot be snapshotted, so accelerated datasets take a file engine.
      engine: readers === 'accelerated' && engine === 'arrow' ? 'duckdb' : engine,
    })),
    acknowledgedWarnings: ['oss-snapshots', 'no-hot-swap'],
  }));

const engines = (pod: Spicepod) => new Map(pod.datasets.map((d) => [d.name, d.acceleration?.engine]));

describe('writers and readers use the same engine per dataset (spiced rejects a snapshot of another engine)', () => {
  it('every tier that restores or writes a dataset\'s snapshots names the snapshot owner\'s engine', () => {
    fc.assert(
      fc.property(splits, (spec) => {
        const result = synthesizeSplit(spec);
        const owner = engines(result.writer.snapshotOwner.spicepod);
        const accelerated = spec.datasets.filter((d) => d.readers === 'accelerated').map((d) => d.name);

        // Query replicas bootstrap from the owner's snapshots.
        for (const [name, engine] of engines(result.writer.queryReplica.spicepod)) expect(engine, name).toBe(owner.get(name));

        // Each accelerated reader dataset restores with the owner's engine, or reads the published
        // snapshots directly (file_format: snapshot), which carry the owner's engine.
        for (const name of accelerated) {
          const dataset = result.reader.spicepod.datasets.find((d) => d.name === name)!;
          if (dataset.params?.file_format === 'snapshot') {
            expect(dataset.acceleration?.engine, name).toBeUndefined();
          } else {
            expect(dataset.acceleration?.snapshots, name).toBe('bootstrap_only');
            expect(dataset.acceleration?.engine, name).toBe(owner.get(name));
          }
        }

        // The archive holds snapshots of the same engine, so it can be restored like the refresh ones.
        for (const [name, engine] of result.archiver ? engines(result.archiver.spicepod) : []) expect(engine, name).toBe(owner.get(name));
      }),
      { numRuns: 200 },
    );
  });
});
