import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DatasetSpec, DescriptionLock, formatProblem, lockDescription, parseDescriptionLock, ReadWriteSplitError, SplitSpec, UpgradeAllowance, validateSplit,
} from '../../lib/core';
import { readDescriptionLock, writeDescriptionLock } from '../../lib/files/description-lock-file';
import { thrown } from '../support/errors';
import { awsSplit } from '../support/splits';

/** The deployed description: shop with an accelerated, a delegated and a writer-only dataset. */
const deployed = awsSplit({
  datasets: [
    { name: 'orders', from: 's3://lake/orders/', params: { file_format: 'parquet' } },
    { name: 'history', from: 's3://lake/history/', params: { file_format: 'parquet' }, readers: 'delegated' },
    { name: 'customers', from: 'postgres:public.customers', secretParams: { pg_pass: { secretName: 'shop-db', key: 'password' } }, readers: 'writer-only' },
  ],
});
const lock = lockDescription(deployed);
const [orders, history, customers] = deployed.datasets;

/** The description after a change, checked against the lock of the deployed one. */
function upgraded(change: Partial<SplitSpec>, allow?: readonly UpgradeAllowance[]): SplitSpec {
  return { ...deployed, ...change, upgradeFrom: { lock, allow } };
}

const withOrders = (dataset: Partial<DatasetSpec>): Partial<SplitSpec> => ({ datasets: [{ ...orders, ...dataset } as DatasetSpec, history, customers] });
const withHistory = (dataset: Partial<DatasetSpec>): Partial<SplitSpec> => ({ datasets: [orders, { ...history, ...dataset } as DatasetSpec, customers] });
const problemsOf = (spec: SplitSpec) => validateSplit(spec).problems.map(formatProblem);

describe('the lock of a description', () => {
  it('holds exactly what readers depend on, with defaults resolved', () => {
    expect(lock).toEqual({
      lockVersion: 1,
      name: 'shop',
      namespace: 'shop',
      store: { cloud: 'aws', bucket: 'shop-snapshots', prefix: 'shop', region: 'eu-west-1' },
      datasets: [
        { name: 'orders', from: 's3://lake/orders/', readers: 'accelerated', engine: 'duckdb' },
        { name: 'history', from: 's3://lake/history/', readers: 'delegated', engine: 'duckdb' },
        { name: 'customers', from: 'postgres:public.customers', readers: 'writer-only', engine: 'duckdb' },
      ],
      writerVolume: { size: '20Gi' },
    });
  });

  it('reads a lock written before the region was locked, and does not compare the region with it', () => {
    const { region: _region, ...store } = lock.store;
    const older = { ...lock, store };
    const moved = { ...deployed, store: { ...deployed.store, region: 'eu-central-1' } };
    expect(problemsOf({ ...moved, upgradeFrom: { lock: older } })).toEqual([]);
    expect(problemsOf({ ...moved, upgradeFrom: { lock } })).toEqual([expect.stringMatching(/^store\.region: "eu-central-1" was "eu-west-1" in the lock/)]);
  });

  it('names an Azure store by account and container, and keeps refresh SQL and time column', () => {
    const azure = lockDescription({
      ...deployed,
      namespace: 'team',
      store: { cloud: 'azure', account: 'shopsnaps', container: 'snapshots', region: 'westeurope', prefix: 'spice/shop' },
      datasets: [{ ...orders, params: { file_format: 'parquet', s3_auth: 'public' }, refresh: { mode: 'append', sql: 'SELECT * FROM orders' }, timeColumn: 'created_at' }],
    });
    expect(azure.namespace).toBe('team');
    expect(azure.store).toEqual({ cloud: 'azure', account: 'shopsnaps', container: 'snapshots', prefix: 'spice/shop', region: 'westeurope' });
    expect(azure.datasets[0]).toEqual({ name: 'orders', from: 's3://lake/orders/', readers: 'accelerated', engine: 'duckdb', refreshSql: 'SELECT * FROM orders', timeColumn: 'created_at' });
  });

  it('survives JSON and a file unchanged', () => {
    expect(parseDescriptionLock(JSON.parse(JSON.stringify(lock)), 'shop.lock.json')).toEqual(lock);
    const file = join(mkdtempSync(join(tmpdir(), 'rws-lock-')), 'locks', 'shop.lock.json');
    expect(writeDescriptionLock(file, deployed)).toEqual(lock);
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(lock, null, 2)}\n`);
    expect(readDescriptionLock(file)).toEqual(lock);
  });

  it('is refused for a description with a problem', () => {
    const error = thrown(() => lockDescription(awsSplit({ name: 'Shop!' })));
    expect(error.problems.map((p) => p.path)).toEqual(['name']);
  });
});

describe('compatible changes', () => {
  it.each<[string, Partial<SplitSpec>]>([
    ['no change', {}],
    ['a new dataset', { datasets: [...deployed.datasets, { name: 'returns', from: 's3://lake/returns/' }] }],
    ['a description text', withOrders({ description: 'Orders of the last 90 days' })],
    ['a refresh interval', withOrders({ refresh: { checkInterval: '1m' } })],
    ['connector params and snapshot settings', withOrders({ params: { file_format: 'parquet', s3_region: 'eu-west-1' }, snapshots: { creationPolicy: 'always' } })],
    ['replicas, resources and retention', { writer: { replicas: 4, resources: { cpu: { request: '1', limit: '2' } } }, retention: { refreshSnapshots: '48h' } }],
    ['a dataset size when the writers\' volume size is set', { writer: { storageSize: '20Gi' }, datasets: [{ ...orders, expectedSize: '8Gi' }, history, customers] }],
    ['the writers\' volume size written in another unit', { writer: { storageSize: '20480Mi' } }],
    ['an engine set to its default', withOrders({ engine: 'duckdb' })],
    ['the engine of a delegated dataset: nothing is snapshotted', withHistory({ engine: 'sqlite' })],
    ['anything about a writer-only dataset: no reader serves it', { datasets: [orders, history, { ...customers, from: 'postgres:public.clients', engine: 'arrow', timeColumn: 'ts' }] }],
    ['removing a writer-only dataset', { datasets: [orders, history] }],
    ['giving readers a writer-only dataset: as a new one', { datasets: [orders, history, { ...customers, readers: 'delegated' }] }],
  ])('%s passes', (_, change) => {
    expect(problemsOf(upgraded(change))).toEqual([]);
  });
});

/** [change, the description after it, where it is reported, what the message says, the allowance its fix names] */
const breaking: [string, Partial<SplitSpec>, string, RegExp, UpgradeAllowance][] = [
  ['split name', { name: 'shop2', store: { ...deployed.store, prefix: 'shop' }, namespace: 'shop' }, 'name', /^"shop2" was "shop" in the lock: every object of the split is named after it/, { change: 'name' }],
  ['namespace', { namespace: 'retail' }, 'namespace', /^"retail" was "shop" in the lock: the writer cluster, its volumes and its Flight endpoint/, { change: 'namespace' }],
  ['bucket', { store: { ...deployed.store, bucket: 'shop-snapshots-v2' } }, 'store.bucket', /^"shop-snapshots-v2" was "shop-snapshots" in the lock: readers would restore from a location that holds no snapshot yet/, { change: 'store' }],
  ['prefix', { store: { ...deployed.store, prefix: 'spice/shop' } }, 'store.prefix', /^"spice\/shop" was "shop" in the lock/, { change: 'store' }],
  ['region', { store: { ...deployed.store, region: 'eu-central-1' } }, 'store.region', /^"eu-central-1" was "eu-west-1" in the lock: a bucket or account stays in the region it was created in/, { change: 'store' }],
  ['cloud', { store: { cloud: 'gcp', bucket: 'shop-snapshots', region: 'europe-west4' }, datasets: [{ ...orders, params: { ...orders.params, s3_auth: 'public' } }, history, customers] }, 'store.cloud', /^"gcp" was "aws" in the lock/, { change: 'store' }],
  ['dataset removal', { datasets: [orders, customers] }, 'datasets', /^no longer have "history" \(datasets\[1\] in the lock, delegated\): readers of the previous description query it on the writers over Flight/, { change: 'dataset-removed', dataset: 'history' }],
  ['dataset rename', { datasets: [{ ...orders, name: 'orders_v2' }, history, customers] }, 'datasets[0].name', /^"orders_v2" was "orders" in the lock \(the same source "s3:\/\/lake\/orders\/"\): readers find snapshots and query the writers by name/, { change: 'dataset-renamed', dataset: 'orders_v2' }],
  ['engine', withOrders({ engine: 'sqlite' }), 'datasets[0].engine', /^"sqlite" was "duckdb" in the lock \(the resolved engine: 'duckdb' by default\): spiced rejects a snapshot of another engine/, { change: 'engine', dataset: 'orders' }],
  ['source', withOrders({ from: 's3://lake/orders-v2/' }), 'datasets[0].from', /^"s3:\/\/lake\/orders-v2\/" was "s3:\/\/lake\/orders\/" in the lock: readers of the previous description keep serving the old source's data and schema/, { change: 'source', dataset: 'orders' }],
  ['source of a delegated dataset', withHistory({ from: 's3://lake/history-v2/' }), 'datasets[1].from', /was "s3:\/\/lake\/history\/" in the lock/, { change: 'source', dataset: 'history' }],
  ['refresh SQL', withOrders({ refresh: { sql: 'SELECT id, total FROM orders' } }), 'datasets[0].refresh.sql', /^"SELECT id, total FROM orders" was unset in the lock: the refresh SQL decides the columns and rows readers serve/, { change: 'refresh-sql', dataset: 'orders' }],
  ['time column', withOrders({ timeColumn: 'created_at' }), 'datasets[0].timeColumn', /^"created_at" was unset in the lock: .*changes the schema/, { change: 'time-column', dataset: 'orders' }],
  ['accelerated to delegated', withOrders({ readers: 'delegated' }), 'datasets[0].readers', /^"delegated" was "accelerated" in the lock: readers of the previous description restore it from snapshots, readers of this one query it on the writers over Flight/, { change: 'readers', dataset: 'orders' }],
  ['delegated to accelerated', withHistory({ readers: 'accelerated' }), 'datasets[1].readers', /readers of this one restore it from snapshots, and cannot start before the snapshot owner has written a snapshot of it/, { change: 'readers', dataset: 'history' }],
  ['writers\' volume size', { writer: { storageSize: '50Gi' } }, 'writer.storageSize', /^"50Gi" was "20Gi" in the lock: Kubernetes refuses any change of the writer StatefulSets' volumeClaimTemplates/, { change: 'writer-volume' }],
  ['writers\' volume size derived from a dataset size', { datasets: [{ ...orders, expectedSize: '40Gi' }, history, customers] }, 'writer.storageSize', /^"\d+Gi" \(derived from the datasets' expectedSize\) was "20Gi" in the lock: .*--cascade=orphan/, { change: 'writer-volume' }],
  ['writers\' volume size made smaller', { writer: { storageSize: '10Gi' } }, 'writer.storageSize', /^"10Gi" was "20Gi" in the lock: .* \(volumes cannot shrink: the deployed ones keep 20Gi, and only new replicas would get 10Gi\)$/, { change: 'writer-volume' }],
  ['writers\' storage class', { writer: { storageClass: 'gp3' } }, 'writer.storageClass', /^"gp3" was unset in the lock: Kubernetes refuses any change.* \(the deployed volumes keep their class: only new replicas would get the new one\)$/, { change: 'writer-volume' }],
  ['accelerated to writer-only', withOrders({ readers: 'writer-only' }), 'datasets[0].readers', /readers of this one do not serve it, so applications that query it on their reader fail/, { change: 'readers', dataset: 'orders' }],
];

describe.each(breaking)('a breaking change: %s', (_, change, path, message, allowance) => {
  const allowed = allowance.dataset === undefined ? `{ change: '${allowance.change}' }` : `{ change: '${allowance.change}', dataset: '${allowance.dataset}' }`;

  it(`is refused at ${path}, with how to undo or allow it`, () => {
    const problems = validateSplit(upgraded(change)).problems;
    expect(problems.map((p) => p.path), problems.map(formatProblem).join('\n')).toEqual([path]);
    expect(problems[0].message).toMatch(message);
    expect(problems[0].fix).toContain(`allow it: upgradeFrom: { lock, allow: [${allowed}] }`);
  });

  it('passes when allowed', () => {
    expect(problemsOf(upgraded(change, [allowance]))).toEqual([]);
  });
});

describe('the upgrade check', () => {
  it('says where an allowed prefix move leaves objects no lifecycle rule expires, and how to delete only those', () => {
    // The new prefix below the old one: a command on the whole old prefix would delete the new snapshots too.
    const moved = validateSplit(upgraded({ store: { ...deployed.store, prefix: 'shop/v2' } }, [{ change: 'store' }]));
    expect(moved.warnings.filter((w) => w.id === 'store-prefix-left-behind')).toEqual([{
      id: 'store-prefix-left-behind',
      path: 'store.prefix',
      message: 'moves the snapshots and the archive out of "shop/refresh/" and "shop/archive/", where no lifecycle rule expires them any more (the rules follow the new prefix): once no reader of the previous description restores from them, delete them (on a versioned bucket, their noncurrent versions too): aws s3 rm s3://shop-snapshots/shop/refresh/ --recursive; aws s3 rm s3://shop-snapshots/shop/archive/ --recursive',
    }]);
    // Another bucket keeps its own rules: nothing is left unexpired.
    const rehomed = validateSplit(upgraded({ store: { ...deployed.store, bucket: 'shop-snapshots-v2', prefix: 'spice/shop' } }, [{ change: 'store' }]));
    expect(rehomed.warnings.map((w) => w.id)).not.toContain('store-prefix-left-behind');
  });

  it.each([
    ['gcp', { cloud: 'gcp', bucket: 'shop-snapshots', region: 'europe-west4' }, 'gcloud storage rm --recursive gs://shop-snapshots/shop/refresh/; gcloud storage rm --recursive gs://shop-snapshots/shop/archive/'],
    ['azure', { cloud: 'azure', account: 'shopsnapshots', container: 'spice', region: 'westeurope' }, "az storage blob delete-batch --account-name shopsnapshots --source spice --pattern 'shop/refresh/*' --auth-mode login; az storage blob delete-batch --account-name shopsnapshots --source spice --pattern 'shop/archive/*' --auth-mode login"],
  ] as const)('gives the delete commands of a %s store', (_, store, commands) => {
    const onStore = (spec: Partial<SplitSpec>) => ({ ...deployed, ...spec, datasets: [customers] });
    const storeLock = lockDescription(onStore({ store }));
    const spec: SplitSpec = { ...onStore({ store: { ...store, prefix: 'shop/v2' } }), upgradeFrom: { lock: storeLock, allow: [{ change: 'store' }] } };
    const warning = validateSplit(spec).warnings.find((w) => w.id === 'store-prefix-left-behind');
    expect(warning?.message.endsWith(`delete them${store.cloud === 'azure' ? '' : ' (on a versioned bucket, their noncurrent versions too)'}: ${commands}`), warning?.message).toBe(true);
  });

  it('reports every change at once, each where it is, split-wide ones first', () => {
    const spec = upgraded({
      namespace: 'retail',
      datasets: [{ ...orders, name: 'orders_v2', engine: 'sqlite' }, { ...history, from: 's3://lake/history-v2/' }],
    });
    expect(validateSplit(spec).problems.map((p) => p.path)).toEqual(['namespace', 'datasets[0].name', 'datasets[0].engine', 'datasets[1].from']);
  });

  it('catches a changed default: the lock holds the resolved engine, namespace and prefix', () => {
    const sqliteLock: DescriptionLock = { ...lock, datasets: [{ ...lock.datasets[0], engine: 'sqlite' }, ...lock.datasets.slice(1)] };
    const problems = validateSplit({ ...deployed, name: 'shop2', upgradeFrom: { lock: sqliteLock } }).problems;
    expect(problems.map((p) => p.path)).toEqual(['name', 'namespace', 'store.prefix', 'datasets[0].engine']);
    expect(problems[1].message).toMatch(/^"shop2" \(the default: the split name\) was "shop"/);
    expect(problems[2].message).toMatch(/^"shop2" \(the default: the split name\) was "shop"/);
  });

  it('names a renamed dataset by its new name in allowances of its other changes', () => {
    const spec = (allow: UpgradeAllowance[]) => upgraded({ datasets: [{ ...orders, name: 'orders_v2', engine: 'sqlite' }, history, customers] }, allow);
    expect(problemsOf(spec([{ change: 'dataset-renamed', dataset: 'orders_v2' }, { change: 'engine', dataset: 'orders_v2' }]))).toEqual([]);
    expect(validateSplit(spec([{ change: 'dataset-renamed', dataset: 'orders_v2' }])).problems.map((p) => p.path)).toEqual(['datasets[0].engine']);
  });

  it('takes a removal and an addition of different sources for what they are', () => {
    const problems = validateSplit(upgraded({ datasets: [{ ...orders, name: 'returns', from: 's3://lake/returns/' }, history, customers] })).problems;
    expect(problems.map((p) => [p.path, p.message.slice(0, 27)])).toEqual([['datasets', 'no longer have "orders" (da']]);
  });

  it('refuses an allowance that matches no change: left behind, it would let the next one through', () => {
    const problems = validateSplit(upgraded({}, [{ change: 'engine', dataset: 'orders' }])).problems;
    expect(problems.map(formatProblem)).toEqual([
      "upgradeFrom.allow[0]: allows { change: 'engine', dataset: 'orders' }, but the description makes no such change against the lock; remove it: once the lock is written again after a deploy, an allowance left behind would let the next such change through unreviewed",
    ]);
  });

  it('refuses allowances it cannot match', () => {
    const allow = [{ change: 'rename' }, { change: 'engine' }, { change: 'store', dataset: 'orders' }, 'engine'] as unknown as UpgradeAllowance[];
    const problems = validateSplit(upgraded(withOrders({ engine: 'sqlite' }), allow)).problems;
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      ['upgradeFrom.allow[0].change', '"rename" is not a change the upgrade check reports'],
      ['upgradeFrom.allow[1].dataset', "undefined is not a dataset name: 'engine' changes are allowed one dataset at a time"],
      ['upgradeFrom.allow[2].dataset', "is not used by a 'store' change: it concerns the whole split"],
      ['upgradeFrom.allow[3]', '"engine" is not an allowance'],
    ]);
    expect(problems[0].fix).toMatch(/^use one of 'name', 'namespace', 'store', 'writer-volume', 'dataset-removed', 'dataset-renamed', 'engine'/);
  });

  it('compares only a description without other problems: the values of a broken one mean little', () => {
    const problems = validateSplit(upgraded({ ...withOrders({ engine: 'velox' as never }), namespace: 'retail' })).problems;
    expect(problems.map((p) => p.path)).toEqual(['datasets[0].engine']);
    expect(problems[0].message).toMatch(/"velox" is not an engine/);
  });

  it('refuses an upgradeFrom that is not { lock, allow? }, and a lock that is not one', () => {
    expect(validateSplit({ ...deployed, upgradeFrom: 'shop.lock.json' as never }).problems.map(formatProblem)).toEqual([
      'upgradeFrom: "shop.lock.json" is not { lock, allow? }; pass the lock of the last deployed description: { lock: readDescriptionLock(file) }',
    ]);
    const problems = validateSplit({ ...deployed, upgradeFrom: { lock: { ...lock, datasets: [{ ...lock.datasets[0], engine: 'velox' }] } as never } }).problems;
    expect(problems.map((p) => [p.path, p.message])).toEqual([['upgradeFrom.lock.datasets[0].engine', `"velox" is not one of 'duckdb', 'sqlite', 'turso', 'arrow'`]]);
  });
});

describe('a lock file that is not a lock', () => {
  const problemsIn = (json: unknown) => thrown(() => parseDescriptionLock(json, 'shop.lock.json'), ReadWriteSplitError);

  it('is refused with every bad field, each named under the file', () => {
    const error = problemsIn({
      ...lock,
      lockVersion: 0,
      namespace: '',
      store: { cloud: 'aws', container: 'snaps', prefix: 'shop' },
      datasets: [{ ...lock.datasets[0], readers: 'cached' }, { ...lock.datasets[1], comment: 'hi' }, lock.datasets[0]],
      writerVolume: { size: 'lots' },
    });
    expect(error.message).toMatch(/^Invalid description lock \(8 problems\):/);
    expect(error.problems.map((p) => [p.path, p.message])).toEqual([
      ['shop.lock.json.namespace', '"" is not a non-empty string'],
      ['shop.lock.json.lockVersion', '0 is not a lock version this library reads (1)'],
      ['shop.lock.json.store.container', 'is not a field of a locked snapshot store'],
      ['shop.lock.json.store.bucket', 'is missing'],
      ['shop.lock.json.datasets[0].readers', `"cached" is not one of 'accelerated', 'delegated', 'writer-only'`],
      ['shop.lock.json.datasets[1].comment', 'is not a field of a locked dataset'],
      ['shop.lock.json.datasets[2].name', '"orders" is already the name of datasets[0]'],
      ['shop.lock.json.writerVolume.size', '"lots" is not a volume size'],
    ]);
    expect(error.problems[1].fix).toBe('restore the lock from version control, or write it again from the last deployed description with writeDescriptionLock(file, spec)');
  });

  it('says a newer lock needs a newer library', () => {
    expect(problemsIn({ ...lock, lockVersion: 2 }).problems.map(formatProblem)).toEqual([
      'shop.lock.json.lockVersion: 2 is not a lock version this library reads (1); upgrade read-write-split to the version that wrote the lock',
    ]);
  });

  it('is refused when it is not an object', () => {
    expect(problemsIn([lock]).problems.map((p) => [p.path, p.message])).toEqual([['shop.lock.json', `${JSON.stringify([lock])} is not a description lock`]]);
  });

  it('is refused when missing or not JSON, naming the file and how to write it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-lock-'));
    const missing = thrown(() => readDescriptionLock(join(dir, 'none.lock.json')), ReadWriteSplitError);
    expect(missing.problems.map(formatProblem)).toEqual([
      `${join(dir, 'none.lock.json')}: cannot be read (ENOENT); write it from the last deployed description with writeDescriptionLock(file, spec) and commit it (a split not deployed yet has no lock: leave upgradeFrom out until its first deploy)`,
    ]);
    writeFileSync(join(dir, 'bad.lock.json'), '{ lockVersion: 1 }');
    const notJson = thrown(() => readDescriptionLock(join(dir, 'bad.lock.json')), ReadWriteSplitError);
    expect(notJson.problems[0].message).toMatch(/^is not JSON \(/);
  });
});
