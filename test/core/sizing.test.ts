import { describe, expect, it } from 'vitest';
import { readerInstance, synthesizeSplit } from '../../lib/core';
import { awsSplit } from '../support/splits';

describe('tier sizing', () => {
  it('uses the seed\'s shapes by default: 3 writers with one snapshot owner, small sidecars', () => {
    const { sizing } = synthesizeSplit(awsSplit());
    expect(sizing.writer).toEqual({
      replicas: 3,
      snapshotOwners: 1,
      queryReplicas: 2,
      resources: { cpu: { request: '2', limit: '4' }, memory: { request: '8Gi', limit: '8Gi' } },
      storageSize: '20Gi',
    });
    expect(sizing.reader).toEqual({
      resources: { cpu: { request: '500m', limit: '2' }, memory: { request: '512Mi', limit: '4Gi' } },
      localDisk: '10Gi',
    });
  });

  it('sizes volumes from expected dataset sizes, with room for an upload\'s two extra copies of the largest on writers', () => {
    const { sizing } = synthesizeSplit(awsSplit({
      datasets: [
        { name: 'orders', from: 's3://lake/orders/', expectedSize: '8Gi' },
        { name: 'history', from: 's3://lake/history/', readers: 'delegated', expectedSize: '12Gi' },
      ],
    }));
    expect(sizing.reader.localDisk).toBe('16Gi');
    // 8Gi + 12Gi of files, and a temporary and a compacted copy of the 12Gi one while it uploads.
    expect(sizing.writer?.storageSize).toBe('44Gi');
  });

  it('counts the sizes it knows when a dataset has none: the unsized one is warned about, never the reason to size the rest at the floor', () => {
    const { sizing, warnings } = synthesizeSplit(awsSplit({
      datasets: [
        { name: 'orders', from: 's3://lake/orders/', expectedSize: '8Gi' },
        { name: 'items', from: 's3://lake/items/', expectedSize: '1Gi' },
        { name: 'history', from: 's3://lake/history/', readers: 'delegated', expectedSize: '8Gi' },
        { name: 'returns', from: 's3://lake/returns/' },
      ],
    }));
    // Readers restore orders, items and returns: twice the 9Gi known, not the 10Gi floor.
    expect(sizing.reader.localDisk).toBe('18Gi');
    // 17Gi of known files, twice (the headroom rule beats 17Gi + two copies of 8Gi = 33Gi): 34Gi, not the 20Gi floor.
    expect(sizing.writer?.storageSize).toBe('34Gi');
    expect(warnings.find((w) => w.id === 'writer-volume-unsized')?.message).toBe(
      "is derived as 34Gi, leaving out returns (no expectedSize), whose files live on the same volume; a StatefulSet's volume claim template cannot change once deployed, so set writer.storageSize, or expectedSize on it",
    );
  });

  it('warns when a given writer volume is smaller than the files of the datasets alone (a deployed size kept while datasets grew)', () => {
    const datasets = [
      { name: 'orders', from: 's3://lake/orders/', expectedSize: '30Gi' },
      { name: 'history', from: 's3://lake/history/', readers: 'delegated' as const, expectedSize: '25Gi' },
      { name: 'audit', from: 's3://lake/audit/', readers: 'writer-only' as const, engine: 'arrow' as const, expectedSize: '100Gi' },
    ];
    const small = (storageSize: string) => synthesizeSplit(awsSplit({ writer: { storageSize }, datasets })).warnings.filter((w) => w.id === 'writer-volume-small');
    // 55Gi of DuckDB files (the arrow dataset is in memory): 35Gi cannot hold them.
    expect(small('35Gi')).toEqual([{
      id: 'writer-volume-small',
      path: 'writer.storageSize',
      message: "35Gi is less than the files of the file-backed datasets (55Gi by their expectedSize, before an upload's copies): the writers would run out of disk; grow the deployed volumes (expand each writer PVC, docs/upgrades.md) and set writer.storageSize to their new size",
    }]);
    expect(small('55Gi')).toEqual([]);
  });

  it('gives a reader that restores nothing (every dataset delegated) 1Gi of local disk, not the 10Gi floor for acceleration files', () => {
    const delegated = synthesizeSplit(awsSplit({
      writer: { flightEndpoint: 'http://shop-writers.internal.example.com:50051' },
      datasets: [{ name: 'orders', from: 's3://lake/orders/', readers: 'delegated', expectedSize: '8Gi' }, { name: 'audit', from: 's3://lake/audit/', readers: 'writer-only' }],
    }));
    expect(delegated.sizing.reader.localDisk).toBe('1Gi');
    // One accelerated dataset, however small, brings the floor back.
    const one = synthesizeSplit(awsSplit({ datasets: [{ name: 'orders', from: 's3://lake/orders/', expectedSize: '1Mi' }] }));
    expect(one.sizing.reader.localDisk).toBe('10Gi');
  });

  it("sizes a reader of some datasets from the ones it restores, unless reader.localDisk is given", () => {
    const lake = (name: string, expectedSize: string, readers?: 'delegated') => ({ name, from: `s3://lake/${name}/`, expectedSize, ...(readers ? { readers } : {}) });
    const datasets = [lake('history', '30Gi'), lake('orders', '2Gi'), lake('audit', '8Gi', 'delegated')];
    const derived = synthesizeSplit(awsSplit({ writer: { flightEndpoint: 'http://shop-writers.internal.example.com:50051' }, datasets }));
    const localDisk = (selected?: string[], synthesized = derived) => readerInstance(synthesized, 'ecs-fargate', { datasets: selected }).localDiskBytes / 2 ** 30;
    // Every dataset: twice the 32Gi restored.
    expect(localDisk()).toBe(64);
    // orders only: twice 2Gi, under the 10Gi floor; audit only: delegated, nothing restored.
    expect(localDisk(['orders'])).toBe(10);
    expect(localDisk(['audit'])).toBe(1);
    expect(localDisk(['history', 'audit'])).toBe(60);
    // Given: every reader gets it, whatever it reads.
    const given = synthesizeSplit(awsSplit({ writer: { flightEndpoint: 'http://shop-writers.internal.example.com:50051' }, datasets, reader: { localDisk: '80Gi' } }));
    expect(localDisk(['audit'], given)).toBe(80);
  });

  it('keeps sizes the user gives', () => {
    const { sizing } = synthesizeSplit(awsSplit({ writer: { storageSize: '200Gi', replicas: 5 }, reader: { localDisk: '30Gi' } }));
    expect(sizing.writer).toMatchObject({ storageSize: '200Gi', replicas: 5, queryReplicas: 4 });
    expect(sizing.reader.localDisk).toBe('30Gi');
  });

  it('estimates the bucket from refresh frequency x datasets x retention', () => {
    const { sizing } = synthesizeSplit(awsSplit({
      datasets: [
        // every 10 minutes: 144 snapshots a day; DuckDB compaction counted as 30% smaller
        { name: 'orders', from: 's3://lake/orders/', expectedSize: '1Gi' },
        // SQLite, every hour: 24 a day, not compacted
        { name: 'items', from: 's3://lake/items/', engine: 'sqlite', refresh: { checkInterval: '1h' }, expectedSize: '1Gi' },
      ],
      retention: { refreshSnapshots: '48h', dailyArchive: '10d' },
    }));
    const gi = 2 ** 30;
    expect(sizing.bucket?.snapshotsPerDay).toBe(168);
    expect(sizing.bucket?.refreshBytes).toBeCloseTo((144 * 0.7 + 24) * gi * 2);
    expect(sizing.bucket?.archiveBytes).toBeCloseTo((0.7 + 1) * gi * 10);
  });

  it('leaves the estimate open when sizes are unknown', () => {
    const unsized = awsSplit().datasets.map(({ expectedSize: _size, ...dataset }) => dataset);
    expect(synthesizeSplit(awsSplit({ datasets: unsized })).sizing.bucket).toEqual({ snapshotsPerDay: 144, refreshBytes: undefined, archiveBytes: undefined });
  });
});
