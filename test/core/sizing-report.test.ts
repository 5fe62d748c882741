import { describe, expect, it } from 'vitest';
import { DatasetSpec, resolveSplit, SplitSpec } from '../../lib/core';
import { sizingReport } from '../../lib/core/sizing-report';
import { ByteFigure, SizingReport } from '../../lib/core/sizing-report-model';
import { awsSplit } from '../support/splits';

const GI = 2 ** 30;
const DB_PASS = { pg_pass: { secretName: 'shop-db', key: 'password' } };

/** The report of a split with a store: it has a writer cluster and a bucket to report on. */
function report(overrides: Partial<SplitSpec>): SizingReport & Required<Pick<SizingReport, 'writer' | 'bucket'>> {
  const sized = sizingReport(resolveSplit(awsSplit(overrides)));
  if (!sized.writer || !sized.bucket) throw new Error('a split with a store is reported with its writer and bucket');
  return { ...sized, writer: sized.writer, bucket: sized.bucket };
}

function bytesOf(figure: ByteFigure): number {
  expect(figure.known, figure.human).toBe(true);
  return figure.known ? figure.bytes : NaN;
}

/** One dataset of each engine and placement, every size known. */
const SIZED: DatasetSpec[] = [
  { name: 'orders', from: 's3://lake/orders/', expectedSize: '4Gi' },
  { name: 'items', from: 's3://lake/items/', engine: 'sqlite', refresh: { checkInterval: '1h' }, expectedSize: '2Gi' },
  { name: 'history', from: 'postgres:public.history', secretParams: DB_PASS, readers: 'delegated', expectedSize: '7Gi' },
  { name: 'customers', from: 'postgres:public.customers', secretParams: DB_PASS, readers: 'writer-only', engine: 'arrow', expectedSize: '1Gi' },
];

describe('the sizing report of a split with every size known', () => {
  const sized = report({ datasets: SIZED });

  it('reports the writer cluster: replicas, resources, the volume and the rule that derives it', () => {
    expect(sized.writer).toMatchObject({
      replicas: 3,
      snapshotOwners: 1,
      queryReplicas: 2,
      cpu: { request: '2', limit: '4', requestCores: 2, limitCores: 4 },
      memory: { request: { bytes: 8 * GI, human: '8Gi' }, limit: { bytes: 8 * GI, human: '8Gi' } },
      // 13Gi of files (arrow lives in memory), plus a temporary and a compacted copy of the 7Gi one.
      storage: { size: { bytes: 27 * GI, human: '27Gi' }, basis: 'upload-copies', derived: { bytes: 27 * GI }, leftOut: [] },
      largestDataset: { known: true, name: 'history', engine: 'duckdb', inMemory: false, bytes: 7 * GI, human: '7Gi' },
      inMemory: { datasets: ['customers'], total: { known: true, bytes: GI, human: '1Gi' } },
    });
    expect(sized.writer.storage.explanation).toBe("the file-backed datasets' 13Gi plus a temporary and a compacted copy of the largest (7Gi) while it uploads");
  });

  it('reports the reader: its disk, the compacted working set with download headroom, and what it delegates', () => {
    expect(sized.reader).toMatchObject({
      cpu: { request: '500m', limit: '2', requestCores: 0.5, limitCores: 2 },
      memory: { request: { bytes: 512 * 2 ** 20, human: '512Mi' }, limit: { bytes: 4 * GI, human: '4Gi' } },
      localDisk: { bytes: 12 * GI, human: '12Gi' },
      accelerated: ['orders', 'items'],
      delegated: { flightEndpoint: 'http://shop-writer.shop.svc.cluster.local:50051', datasets: ['history'] },
    });
    // orders: DuckDB, compacted to 70%; items: SQLite, as is.
    expect(bytesOf(sized.reader.workingSet)).toBeCloseTo(4 * GI * 0.7 + 2 * GI);
    expect(sized.reader.workingSet.human).toBe('4.8Gi');
    expect(bytesOf(sized.reader.diskNeeded)).toBeCloseTo((4 * GI * 0.7 + 2 * GI) * 2);
  });

  it('names the endpoint readers outside the cluster dial when it is another', () => {
    const external = 'https://shop-flight.internal.acme.example:50051';
    const outside = report({ writer: { externalFlightEndpoint: external, tls: undefined } }).reader.delegated;
    expect(outside).toEqual({ flightEndpoint: 'http://shop-writer.shop.svc.cluster.local:50051', externalFlightEndpoint: external, datasets: ['history'] });
    expect(report({}).reader.delegated).not.toHaveProperty('externalFlightEndpoint');
  });

  it('reports the bucket: snapshots a day, refresh and archive bytes over retention, each dataset', () => {
    const { bucket } = sized;
    expect(bucket.snapshotsPerDay).toEqual({ known: true, count: 144 + 24 });
    expect(bucket.refresh.days).toBe(3);
    expect(bytesOf(bucket.refresh.bytes)).toBeCloseTo((144 * 4 * GI * 0.7 + 24 * 2 * GI) * 3);
    expect(bucket.archive?.days).toBe(30);
    expect(bytesOf(bucket.archive!.bytes)).toBeCloseTo((4 * GI * 0.7 + 2 * GI) * 30);
    expect(bucket.datasets.map((d) => [d.name, d.compaction, d.snapshotSize.human, d.snapshotsPerDay])).toEqual([
      ['orders', true, '2.8Gi', { known: true, count: 144 }],
      ['items', false, '2Gi', { known: true, count: 24 }],
    ]);
  });

  it('raises no warning and names the seed\'s signals to watch', () => {
    expect(sized.warnings).toEqual([]);
    expect(sized.signals).toEqual([
      'a high delegation rate (readers querying history on the writers) is a signal to accelerate more of them on readers',
      'a growing snapshot age is a signal that the writers fall behind on refresh',
    ]);
  });

  it('omits the archive when none is kept', () => {
    expect(report({ datasets: SIZED, retention: { dailyArchive: 'none' } }).bucket.archive).toBeUndefined();
  });

  it('says when the writer volume is given', () => {
    const storage = report({ datasets: SIZED, writer: { storageSize: '200Gi' } }).writer.storage;
    expect(storage).toMatchObject({ size: { bytes: 200 * GI, human: '200Gi' }, basis: 'given', derived: { bytes: 27 * GI } });
    expect(storage.explanation).toMatch(/^given in writer\.storageSize; the library would derive the file-backed datasets' 13Gi/);
  });
});

describe('unknown sizes', () => {
  const unsized = report({
    datasets: [
      { name: 'orders', from: 's3://lake/orders/', expectedSize: '1Gi' },
      { name: 'events', from: 's3://lake/events/' },
      { name: 'history', from: 'postgres:public.history', secretParams: DB_PASS, readers: 'delegated' },
    ],
  });
  const events = { dataset: 'events', path: 'datasets[1].expectedSize', reason: 'no expectedSize' };

  it('reports the working set and the bucket bytes as unknown, naming the dataset, never as 0', () => {
    expect(unsized.reader.workingSet).toEqual({ known: false, causes: [events], human: 'unknown: events (no expectedSize)' });
    expect(unsized.reader.diskNeeded).toEqual(unsized.reader.workingSet);
    expect(unsized.bucket.refresh.bytes).toEqual({ known: false, causes: [events], human: 'unknown: events (no expectedSize)' });
    expect(unsized.bucket.archive?.bytes).toMatchObject({ known: false, causes: [events] });
    expect(unsized.bucket.snapshotsPerDay).toEqual({ known: true, count: 288 });
    expect(unsized.bucket.datasets[1]).toMatchObject({ name: 'events', expectedSize: { known: false }, snapshotSize: { known: false } });
  });

  it('leaves the largest dataset open and says which datasets the writer volume leaves out', () => {
    expect(unsized.writer.largestDataset).toMatchObject({ known: false, causes: [events, { dataset: 'history', path: 'datasets[2].expectedSize' }] });
    expect(unsized.writer.storage.leftOut.map((cause) => cause.dataset)).toEqual(['events', 'history']);
    expect(unsized.writer.storage).toMatchObject({ basis: 'floor', size: { human: '20Gi' } });
    expect(unsized.writer.storage.explanation).toBe('the 20Gi floor; leaves out events, history (no expectedSize)');
  });

  it('says when the writer volume derivation counts only the sizes it knows because one is missing', () => {
    const storage = report({
      datasets: [
        { name: 'orders', from: 's3://lake/orders/', expectedSize: '15Gi' },
        { name: 'events', from: 's3://lake/events/' },
      ],
    }).writer.storage;
    expect(storage).toMatchObject({ basis: 'upload-copies', size: { human: '45Gi' }, derived: { bytes: 45 * GI }, leftOut: [events] });
    expect(storage.explanation).toBe(
      "the file-backed datasets' known 15Gi plus a temporary and a compacted copy of the largest (15Gi) while it uploads; leaves out events (no expectedSize)",
    );
  });

  it('warns at each dataset without an expected size', () => {
    expect(unsized.warnings.map((w) => [w.id, w.path])).toEqual([
      ['unknown-expected-size', 'datasets[1].expectedSize'],
      ['unknown-expected-size', 'datasets[2].expectedSize'],
    ]);
    expect(unsized.warnings[0].fix).toBe("set datasets[1].expectedSize to the size of its acceleration file, e.g. '4Gi'");
  });

  it('reports snapshots a day as unknown for a cron schedule, naming its path', () => {
    const cron = report({ datasets: [{ name: 'orders', from: 's3://lake/orders/', refresh: { cron: '0 * * * *' }, expectedSize: '1Gi' }] });
    const cause = { dataset: 'orders', path: 'datasets[0].refresh.cron', reason: 'refreshes on a cron schedule' };
    expect(cron.bucket.snapshotsPerDay).toEqual({ known: false, causes: [cause], human: 'unknown: orders (refreshes on a cron schedule)' });
    expect(cron.bucket.refresh.bytes).toMatchObject({ known: false, causes: [cause] });
    // The archive keeps one snapshot a day whatever the schedule.
    expect(bytesOf(cron.bucket.archive!.bytes)).toBeCloseTo(GI * 0.7 * 30);
  });
});

describe('compaction', () => {
  const compaction = report({
    datasets: [
      { name: 'duck', from: 's3://lake/duck/', expectedSize: '10Gi' },
      { name: 'lite', from: 's3://lake/lite/', engine: 'sqlite', expectedSize: '10Gi' },
      { name: 'plain_duck', from: 's3://lake/plain/', snapshots: { compaction: false }, expectedSize: '10Gi' },
    ],
  });

  it('counts DuckDB snapshots 30% smaller, SQLite and uncompacted DuckDB at full size', () => {
    expect(compaction.bucket.datasets.map((d) => [d.name, d.engine, d.compaction, d.expectedSize.human, d.snapshotSize.human])).toEqual([
      ['duck', 'duckdb', true, '10Gi', '7Gi'],
      ['lite', 'sqlite', false, '10Gi', '10Gi'],
      ['plain_duck', 'duckdb', false, '10Gi', '10Gi'],
    ]);
    expect(bytesOf(compaction.reader.workingSet)).toBeCloseTo(27 * GI);
  });
});

describe('warnings', () => {
  it('warns when the reader working set and a new download exceed the local disk', () => {
    // 8Gi compacted to 5.6Gi, twice for the download beside it: 11.2Gi on a 10Gi disk.
    const small = report({ datasets: [{ name: 'orders', from: 's3://lake/orders/', expectedSize: '8Gi' }], reader: { localDisk: '10Gi' } });
    expect(small.warnings).toEqual([
      {
        id: 'reader-disk-working-set',
        path: 'reader.localDisk',
        message: '10Gi cannot hold the restored files: the working set is 5.6Gi and spiced downloads a new snapshot beside the current file, so it needs 11.2Gi',
        fix: "raise reader.localDisk to at least 12Gi (or remove it to let the library size it), or set readers: 'delegated' on orders (the largest)",
      },
    ]);
    // 4Gi compacted to 2.8Gi needs 5.6Gi: it fits.
    expect(report({ datasets: [{ name: 'orders', from: 's3://lake/orders/', expectedSize: '4Gi' }], reader: { localDisk: '10Gi' } }).warnings).toEqual([]);
  });

  it('warns on the disk from the known sizes alone when others are missing, saying so', () => {
    const partial = report({
      datasets: [
        { name: 'big', from: 's3://lake/big/', engine: 'sqlite', expectedSize: '8Gi' },
        { name: 'open', from: 's3://lake/open/' },
      ],
      reader: { localDisk: '10Gi' },
    });
    const disk = partial.warnings.find((w) => w.id === 'reader-disk-working-set');
    expect(disk?.message).toBe('10Gi cannot hold the restored files: the working set is at least 8Gi and spiced downloads a new snapshot beside the current file, so it needs at least 16Gi');
    expect(disk?.fix).toContain("set readers: 'delegated' on big (the largest)");
  });

  it('warns when arrow datasets on the writer hold more than the writer memory limit', () => {
    const arrow = report({
      datasets: [
        { name: 'orders', from: 's3://lake/orders/', expectedSize: '1Gi' },
        { name: 'history', from: 'postgres:public.history', secretParams: DB_PASS, readers: 'delegated', engine: 'arrow', expectedSize: '4Gi' },
        { name: 'customers', from: 'postgres:public.customers', secretParams: DB_PASS, readers: 'writer-only', engine: 'arrow', expectedSize: '6Gi' },
      ],
    });
    expect(arrow.writer.inMemory).toEqual({ datasets: ['history', 'customers'], total: { known: true, bytes: 10 * GI, human: '10Gi' } });
    expect(arrow.writer.largestDataset).toMatchObject({ name: 'customers', engine: 'arrow', inMemory: true });
    expect(arrow.warnings).toEqual([
      {
        id: 'writer-memory-in-memory-datasets',
        path: 'writer.resources.memory.limit',
        message: '8Gi is less than the in-memory (arrow) datasets history, customers hold on every writer replica (10Gi): the writers run out of memory',
        fix: "raise writer.resources.memory.limit above 10Gi with room for queries and refreshes, or give these datasets a file-backed engine ('duckdb')",
      },
    ]);
    const roomy = report({ datasets: [SIZED[0], { ...SIZED[3], expectedSize: '6Gi' }] });
    expect(roomy.warnings).toEqual([]);
  });

  it('warns when the largest file-backed dataset exceeds the writer memory limit (the seed\'s rule)', () => {
    const large = report({ datasets: [{ name: 'history', from: 'postgres:public.history', secretParams: DB_PASS, readers: 'delegated', expectedSize: '12Gi' }] });
    expect(large.warnings.map((w) => [w.id, w.path])).toEqual([['writer-memory-largest-dataset', 'writer.resources.memory.limit']]);
    expect(large.warnings[0].message).toContain('the largest file-backed dataset, history (12Gi at datasets[0].expectedSize)');
    expect(large.warnings[0].fix).toBe('raise writer.resources.memory.limit to at least 12Gi, or narrow history (refresh.sql or refresh.dataWindow)');
    const raised = report({
      datasets: [{ name: 'history', from: 'postgres:public.history', secretParams: DB_PASS, readers: 'delegated', expectedSize: '12Gi' }],
      writer: { resources: { memory: { request: '8Gi', limit: '16Gi' } } },
    });
    expect(raised.warnings).toEqual([]);
  });

  it('warns on reader memory only past 10x the working set, since file mode pages from disk', () => {
    const reader = { resources: { memory: { limit: '512Mi' } } };
    const paging = report({ datasets: [{ name: 'orders', from: 's3://lake/orders/', engine: 'sqlite', expectedSize: '6Gi' }], reader });
    expect(paging.warnings).toEqual([
      {
        id: 'reader-memory-working-set',
        path: 'reader.resources.memory.limit',
        message: "512Mi is less than 1/10 of the working set (6Gi): file mode pages from disk, so readers work, but most queries read from disk; the seed's read instance stays within 10x",
        fix: "raise reader.resources.memory.limit to at least 1Gi, or set readers: 'delegated' on orders (the largest)",
      },
    ]);
    // 5Gi is exactly 10x 512Mi: no warning.
    expect(report({ datasets: [{ name: 'orders', from: 's3://lake/orders/', engine: 'sqlite', expectedSize: '5Gi' }], reader }).warnings).toEqual([]);
  });
});
