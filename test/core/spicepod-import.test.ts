import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatProblem } from '../../lib/core/errors';
import { resolveSplit } from '../../lib/core/split';
import { importSpicepod, SpicepodImport } from '../../lib/core/spicepod-import';
import { synthesizeSplit } from '../../lib/core/synthesize';
import { thrown } from '../support/errors';
import { expectValidSpicepod } from '../support/spicepod-schema';

const FIXTURE = join(__dirname, '..', 'fixtures', 'import', 'single-tier.spicepod.yaml');
const REFERENCE = /^\$\{\s*(secrets|env):([^}\s]+)\s*\}$/;

type PodDataset = { from: string; name: string; params?: Record<string, unknown> };

function pod(yaml: string): Record<string, unknown> {
  return parse(yaml) as Record<string, unknown>;
}

function podWith(datasets: string, extra = ''): Record<string, unknown> {
  return pod(`version: v1\nkind: Spicepod\nname: shop\n${extra}\ndatasets:\n${datasets}`);
}

function paths(result: SpicepodImport): string[] {
  return result.unmapped.map((note) => note.path);
}

function reasonAt(result: SpicepodImport, path: string): string {
  const note = result.unmapped.find((n) => n.path === path);
  if (!note) throw new Error(`no note at ${path}: ${paths(result).join(', ')}`);
  return note.reason;
}

/**
 * The writer that refreshes the datasets reads the Spicepod's sources, and each secret param as a
 * `${secrets:<ENV>}` placeholder whose environment variable is the Secret key the import lists.
 */
function expectSameSources(spicepod: Record<string, unknown>, result: SpicepodImport): void {
  const owner = synthesizeSplit(result.description).writer.snapshotOwner;
  expectValidSpicepod(owner.spicepod);
  for (const spec of result.description.datasets) {
    const original = (spicepod.datasets as PodDataset[]).find((d) => d.name === spec.name)!;
    const rendered = owner.spicepod.datasets.find((d) => d.name === spec.name)!;
    expect(rendered.from).toBe(original.from);
    for (const [param, value] of Object.entries(original.params ?? {})) {
      const ref = spec.secretParams?.[param];
      if (!ref) {
        expect(rendered.params?.[param]).toEqual(value);
        continue;
      }
      const envVar = /^\$\{secrets:([A-Z0-9_]+)\}$/.exec(String(rendered.params?.[param]))![1];
      expect(owner.secretEnv).toContainEqual({ envVar, secret: ref, purpose: 'source-credential' });
      const reference = REFERENCE.exec(String(value));
      // A Secret key holds letters, digits, '-', '_' and '.' only.
      if (reference) expect(ref.key).toBe(reference[2].replace(/[^-._a-zA-Z0-9]/g, '_'));
    }
  }
}

describe('importSpicepod: the single-tier fixture', () => {
  const spicepod = pod(readFileSync(FIXTURE, 'utf8'));
  const result = importSpicepod(spicepod);

  it('reads a valid Spicepod', () => {
    expectValidSpicepod(spicepod);
  });

  it('describes the split exactly', () => {
    const sources = (key: string) => ({ secretName: 'shop-analytics-sources', key });
    expect(result.description).toEqual({
      name: 'shop-analytics',
      store: { cloud: 'aws', bucket: 'shop-spice-snapshots', region: 'eu-west-1', prefix: 'analytics' },
      datasets: [
        {
          name: 'orders',
          from: 's3://shop-lake/orders/',
          description: 'Orders, exported hourly as parquet',
          timeColumn: 'created_at',
          params: { file_format: 'parquet', s3_region: 'eu-west-1' },
          engine: 'duckdb',
          readers: 'accelerated',
          refresh: { mode: 'append', checkInterval: '5m', dataWindow: '30d' },
          snapshots: { trigger: 'refresh_complete', compaction: true },
          engineParams: { duckdb_memory_limit: '2GB' },
        },
        {
          name: 'customers',
          from: 'postgres:public.customers',
          params: { pg_host: 'db.shop.internal', pg_port: '5432', pg_db: 'shop', pg_sslmode: 'require' },
          secretParams: { pg_user: sources('PG_USER'), pg_pass: sources('PG_PASS') },
          engine: 'duckdb',
          readers: 'delegated',
          refresh: { checkInterval: '10m' },
        },
        {
          name: 'order_items',
          from: 'postgres:public.order_items',
          params: { pg_host: 'db.shop.internal', pg_db: 'shop' },
          secretParams: { pg_user: sources('PG_USER'), pg_pass: sources('PG_PASS') },
          engine: 'arrow',
          readers: 'delegated',
          refresh: { mode: 'full', checkInterval: '1m' },
        },
        {
          name: 'returns',
          from: 's3://shop-lake/returns/',
          params: { file_format: 'csv', s3_auth: 'key' },
          secretParams: { s3_key: sources('LAKE_ACCESS_KEY'), s3_secret: sources('LAKE_SECRET_KEY') },
          readers: 'delegated',
        },
        {
          name: 'products',
          from: 's3://shop-lake/products/products.parquet',
          engine: 'sqlite',
          readers: 'accelerated',
          refresh: { cron: '0 * * * *' },
        },
      ],
    });
    expect(() => resolveSplit(result.description)).not.toThrow();
  });

  it('lists one Secret key per secret reference, with the datasets that read it', () => {
    expect(result.secrets).toEqual([
      { secretName: 'shop-analytics-sources', key: 'PG_USER', from: '${secrets:PG_USER}', kind: 'reference', datasets: ['customers', 'order_items'] },
      { secretName: 'shop-analytics-sources', key: 'PG_PASS', from: '${ secrets:PG_PASS }', kind: 'reference', datasets: ['customers', 'order_items'] },
      { secretName: 'shop-analytics-sources', key: 'LAKE_ACCESS_KEY', from: '${env:LAKE_ACCESS_KEY}', kind: 'reference', datasets: ['returns'] },
      { secretName: 'shop-analytics-sources', key: 'LAKE_SECRET_KEY', from: '${env:LAKE_SECRET_KEY}', kind: 'reference', datasets: ['returns'] },
    ]);
  });

  it('renders a writer that reads the same sources and secrets', () => {
    expectSameSources(spicepod, result);
  });

  it('lists what it could not map, models, embeddings and views included', () => {
    expect(paths(result)).toEqual([
      'snapshots.bootstrap_on_failure_behavior',
      'datasets[0].acceleration.params.duckdb_file',
      'datasets[1].from',
      'datasets[1].acceleration.params.duckdb_file',
      'datasets[3]',
      'datasets[4].acceleration.on_zero_results',
      'runtime.results_cache',
      'runtime.task_history',
      'models[0]',
      'embeddings[0]',
      'views[0]',
      'snapshots.location',
    ]);
    expect(reasonAt(result, 'datasets[1].from')).toMatch(/"postgres" connector.*never becomes ready.*readers 'delegated'/);
    expect(reasonAt(result, 'datasets[3]')).toMatch(/^is not accelerated in the Spicepod/);
    expect(reasonAt(result, 'models[0]')).toMatch(/^"assistant": the split renders datasets only/);
    expect(reasonAt(result, 'views[0]')).toMatch(/^"daily_revenue": views are not rendered/);
    expect(reasonAt(result, 'snapshots.location')).toContain('s3://shop-spice-snapshots/analytics/refresh/');
  });
});

describe('importSpicepod: datasets', () => {
  it('maps every refresh and snapshot key the library renders back', () => {
    const result = importSpicepod(podWith(`
  - from: s3://lake/events/
    name: events
    time_column: ts
    acceleration:
      engine: duckdb
      mode: file
      refresh_mode: append
      refresh_check_interval: 1m
      refresh_sql: SELECT * FROM events WHERE region = 'eu'
      refresh_on_startup: always
      snapshots: enabled
      snapshots_trigger: time_interval
      snapshots_trigger_threshold: 30m
      snapshots_compaction: disabled
      snapshots_creation_policy: always
`, 'snapshots:\n  location: s3://snaps/spice/\n  params:\n    s3_region: us-west-2'));
    expect(result.description.datasets).toEqual([{
      name: 'events',
      from: 's3://lake/events/',
      timeColumn: 'ts',
      engine: 'duckdb',
      readers: 'accelerated',
      refresh: { mode: 'append', checkInterval: '1m', sql: "SELECT * FROM events WHERE region = 'eu'", onStartup: 'always' },
      snapshots: { trigger: 'time_interval', threshold: '30m', compaction: false, creationPolicy: 'always' },
    }]);
    const owner = synthesizeSplit(result.description).writer.snapshotOwner.spicepod;
    expect(owner.datasets[0].acceleration).toMatchObject({
      refresh_sql: "SELECT * FROM events WHERE region = 'eu'",
      snapshots_trigger: 'time_interval',
      snapshots_trigger_threshold: '30m',
      snapshots_compaction: 'disabled',
      snapshots_creation_policy: 'always',
    });
    expect(result.unmapped).toEqual([expect.objectContaining({ path: 'snapshots.location' })]);
  });

  it('delegates in-memory acceleration (arrow, spiced\'s default engine, duckdb in memory) and unrendered engines', () => {
    const result = importSpicepod(podWith(`
  - { from: 's3://lake/a/', name: a, acceleration: { enabled: true, engine: arrow } }
  - { from: 's3://lake/b/', name: b, acceleration: { enabled: true } }
  - { from: 's3://lake/c/', name: c, acceleration: { engine: duckdb } }
  - { from: 's3://lake/d/', name: d, acceleration: { engine: cayenne, mode: file, params: { cayenne_metastore: sqlite } } }
  - { from: 's3://lake/e/', name: e, acceleration: { enabled: false, engine: duckdb } }
`));
    const placements = result.description.datasets.map(({ name, engine, readers }) => ({ name, engine, readers }));
    expect(placements).toEqual([
      { name: 'a', engine: 'arrow', readers: 'delegated' },
      { name: 'b', engine: 'arrow', readers: 'delegated' },
      { name: 'c', engine: 'duckdb', readers: 'delegated' },
      { name: 'd', engine: undefined, readers: 'delegated' },
      { name: 'e', engine: undefined, readers: 'delegated' },
    ]);
    expect(paths(result)).toEqual(['snapshots', 'datasets[2].acceleration', 'datasets[3].acceleration.engine', 'datasets[3].acceleration.params', 'datasets[4].acceleration']);
    expect(reasonAt(result, 'datasets[2].acceleration')).toMatch(/^duckdb accelerates in memory here \(mode "memory"\)/);
    expect(reasonAt(result, 'datasets[3].acceleration.engine')).toMatch(/^"cayenne" is not an engine this library renders \(it accelerates into a data directory/);
    expect(reasonAt(result, 'datasets[4].acceleration')).toMatch(/^is disabled/);
    expect(() => resolveSplit(result.description)).not.toThrow();
  });

  it("advises readers 'accelerated' only for a source readers can restore", () => {
    const result = importSpicepod(podWith(`
  - { from: 's3://lake/a/', name: a, acceleration: { engine: postgres } }
  - { from: 'postgres:public.b', name: b, params: { pg_pass: '\${secrets:pg_pass}' }, acceleration: { engine: postgres } }
  - { from: 'postgres:public.c', name: c, params: { pg_pass: '\${secrets:pg_pass}' }, acceleration: { engine: duckdb } }
`));
    expect(reasonAt(result, 'datasets[0].acceleration.engine')).toMatch(/; set engine 'duckdb', 'sqlite' or 'turso' and readers 'accelerated' to restore it on readers$/);
    expect(reasonAt(result, 'datasets[1].acceleration.engine')).toMatch(/; readers could not restore it anyway: a reader builds the "postgres" connector, which contacts the source when it registers the dataset and, without credentials, never becomes ready \(unless the image ships file_format: snapshot: image\.snapshotFileFormat\)$/);
    expect(reasonAt(result, 'datasets[2].acceleration')).toMatch(/\(readers 'delegated'\); readers could not restore it anyway: a reader builds the "postgres" connector/);
  });

  it('renames what is not a dataset name and drops what it cannot express', () => {
    const result = importSpicepod(podWith(`
  - { from: 's3://lake/orders/', name: Orders }
  - { from: 's3://lake/orders-eu/', name: orders }
  - { from: 'orders.parquet', name: local }
  - { ref: datasets/more.yaml }
  - { from: 's3://lake/x/', name: x, columns: [{ name: id, description: key }], ready_state: on_registration }
`));
    expect(result.description.datasets.map((d) => d.name)).toEqual(['orders', 'x']);
    expect(paths(result)).toEqual([
      'snapshots', 'datasets[0].name', 'datasets[0]', 'datasets[1].name', 'datasets[2].from', 'datasets[3]',
      'datasets[4]', 'datasets[4].columns', 'datasets[4].ready_state',
    ]);
    expect(reasonAt(result, 'datasets[0].name')).toMatch(/^"Orders" is not a dataset name of the split.*imported as "orders"/);
    expect(reasonAt(result, 'datasets[1].name')).toMatch(/^"orders" is already the name of datasets\[0\]/);
    expect(reasonAt(result, 'datasets[2].from')).toMatch(/is not a source the split can render/);
  });

  it('takes out values the description refuses, with the library\'s reason, and keeps the rest', () => {
    const result = importSpicepod(podWith(`
  - from: s3://lake/a/
    name: a
    acceleration:
      engine: sqlite
      mode: file
      refresh_mode: changes
      refresh_check_interval: 1h30m
      refresh_data_window: 7d
      snapshots_trigger: refresh_complete
      snapshots_compaction: enabled
  - from: s3://lake/b/
    name: b
    acceleration: { engine: duckdb, mode: file, refresh_check_interval: 5m, refresh_cron: '0 * * * *', refresh_mode: snapshot }
`));
    expect(result.description.datasets).toEqual([
      { name: 'a', from: 's3://lake/a/', engine: 'sqlite', readers: 'accelerated', refresh: { mode: 'changes' } },
      { name: 'b', from: 's3://lake/b/', engine: 'duckdb', readers: 'accelerated', refresh: { checkInterval: '5m' } },
    ]);
    expect(reasonAt(result, 'datasets[0].acceleration.refresh_check_interval')).toBe("not imported: \"1h30m\" is not a duration; use e.g. '30s', '10m' or '1h'");
    expect(reasonAt(result, 'datasets[0].acceleration.refresh_data_window')).toMatch(/needs a time column/);
    expect(reasonAt(result, 'datasets[0].acceleration.snapshots_trigger')).toMatch(/does not work with refresh mode "changes"/);
    expect(reasonAt(result, 'datasets[0].acceleration.snapshots_compaction')).toMatch(/compaction works only with DuckDB/);
    expect(reasonAt(result, 'datasets[1].acceleration.refresh_cron')).toMatch(/is set together with refresh.checkInterval/);
    expect(reasonAt(result, 'datasets[1].acceleration.refresh_mode')).toMatch(/"snapshot" is not a refresh mode/);
    expect(() => resolveSplit(result.description)).not.toThrow();
  });
});

describe('importSpicepod: secrets', () => {
  const spicepod = podWith(`
  - from: postgres:public.orders
    name: orders
    params:
      pg_host: db.internal
      pg_user: app
      pg_pass: hunter2-inline
  - from: mysql:shop.items
    name: items
    params:
      mysql_connection_string: mysql://app:\${secrets:MYSQL_PASS}@db.internal/shop
  - from: postgres:public.audit
    name: audit
    params: { pg_host: db.internal, pg_user: '\${vault:db/user}' }
  - from: postgres:public.refunds
    name: refunds
    params: { pg_host: db.internal, pg_user: readonly }
  - from: spice.ai:shop.public.rates
    name: rates
    params: { spiceai_api_key: '\${secrets:spiceai/api_key}' }
`, 'secrets:\n  - from: hashicorp_vault\n    name: vault');
  const result = importSpicepod(spicepod);

  it('moves references, templates, inline and missing credentials to the sources Secret', () => {
    const secret = (key: string) => ({ secretName: 'shop-sources', key });
    expect(result.description.datasets.map((d) => [d.name, d.params, d.secretParams])).toEqual([
      ['orders', { pg_host: 'db.internal', pg_user: 'app' }, { pg_pass: secret('ORDERS_PG_PASS') }],
      ['items', undefined, { mysql_connection_string: secret('ITEMS_MYSQL_CONNECTION_STRING') }],
      ['audit', { pg_host: 'db.internal' }, { pg_user: secret('db_user') }],
      ['refunds', { pg_host: 'db.internal', pg_user: 'readonly' }, { pg_pass: secret('REFUNDS_PG_PASS') }],
      ['rates', undefined, { spiceai_api_key: secret('spiceai_api_key') }],
    ]);
    expect(result.secrets).toEqual([
      { secretName: 'shop-sources', key: 'ORDERS_PG_PASS', from: 'datasets[0].params.pg_pass', kind: 'inline', datasets: ['orders'] },
      { secretName: 'shop-sources', key: 'ITEMS_MYSQL_CONNECTION_STRING', from: '${secrets:MYSQL_PASS}', kind: 'template', datasets: ['items'] },
      { secretName: 'shop-sources', key: 'db_user', from: '${vault:db/user}', kind: 'reference', datasets: ['audit'] },
      { secretName: 'shop-sources', key: 'REFUNDS_PG_PASS', from: 'datasets[3].params.pg_pass', kind: 'missing', datasets: ['refunds'] },
      { secretName: 'shop-sources', key: 'spiceai_api_key', from: '${secrets:spiceai/api_key}', kind: 'reference', datasets: ['rates'] },
    ]);
    expect(() => resolveSplit(result.description)).not.toThrow();
  });

  it('never copies an inline credential', () => {
    expect(JSON.stringify(result)).not.toContain('hunter2');
    expect(JSON.stringify(synthesizeSplit(result.description).writer.snapshotOwner)).not.toContain('hunter2');
    expect(reasonAt(result, 'datasets[0].params.pg_pass')).toMatch(/^is a credential written inline: its value was not copied; the writer reads it from key 'ORDERS_PG_PASS' of Secret 'shop-sources'/);
    expect(reasonAt(result, 'datasets[1].params.mysql_connection_string')).toMatch(/embeds secret references \(\$\{secrets:MYSQL_PASS\}\)/);
    expect(reasonAt(result, 'datasets[3].params.pg_pass')).toMatch(/^is not set, and the split refuses a postgres source without credentials/);
    expect(paths(result)).toContain('secrets[0]');
  });

  it('renders the writer with the same sources, secrets as ${secrets:...} placeholders', () => {
    expectSameSources(spicepod, result);
  });
});

describe('importSpicepod: the snapshot store', () => {
  const one = "  - { from: 's3://lake/a/', name: a, acceleration: { engine: duckdb, mode: file } }";

  it.each([
    ['s3://snaps/spice/prod/', { s3_region: 'eu-central-1', s3_auth: 'iam_role' }, { cloud: 'aws', bucket: 'snaps', region: 'eu-central-1', prefix: 'spice/prod' }, [], []],
    ['gs://snaps-eu/', {}, { cloud: 'gcp', bucket: 'snaps-eu', region: 'us-central1' }, ['snapshots.params'], ['store.region']],
    ['abfss://spice@shopsnaps.dfs.core.windows.net/prod/', {}, { cloud: 'azure', container: 'spice', account: 'shopsnaps', region: 'eastus', prefix: 'prod' }, ['snapshots.params'], ['store.region']],
    ['file:///var/spice/snapshots/', {}, { cloud: 'aws', bucket: 'shop-snapshots', region: 'us-east-1' }, ['snapshots.location'], ['store.bucket', 'store.region']],
    ['s3://Legacy_Bucket/x/', { s3_region: 'eu-west-1', s3_key: '${secrets:K}' }, { cloud: 'aws', bucket: 'shop-snapshots', region: 'us-east-1' }, ['snapshots.params.s3_key', 'snapshots.location'], ['store.bucket', 'store.region']],
    ['s3://snaps/Spice/', { s3_region: 'moon-1' }, { cloud: 'aws', bucket: 'snaps', region: 'us-east-1' }, ['snapshots.params.s3_region', 'snapshots.location'], ['store.region']],
  ])('takes %s', (location, params, store, notes, placeholders) => {
    const block = `snapshots:\n  enabled: true\n  location: ${location}\n  params: ${JSON.stringify(params)}`;
    const result = importSpicepod(podWith(one, block));
    expect(result.description.store).toEqual(store);
    const layout = result.unmapped.filter((note) => note.reason.startsWith('the split keeps refresh snapshots under'));
    expect(result.unmapped.filter((note) => !layout.includes(note)).map((note) => note.path)).toEqual(notes);
    expect(layout.length).toBe((store as { bucket?: string }).bucket === 'shop-snapshots' ? 0 : 1);
    // What the description holds that no value of the Spicepod gave: the command line marks them in the file.
    expect(result.placeholders).toEqual(placeholders);
    expect(() => resolveSplit(result.description)).not.toThrow();
  });

  it('holds a placeholder store and says so when the Spicepod has no snapshots block', () => {
    const result = importSpicepod(podWith(one), { name: 'orders-eu' });
    expect(result.description.store).toEqual({ cloud: 'aws', bucket: 'orders-eu-snapshots', region: 'us-east-1' });
    expect(result.unmapped).toEqual([{ path: 'snapshots', reason: expect.stringMatching(/^the Spicepod has no top-level snapshots block: the description holds a placeholder store.*set store to the bucket both tiers share/) }]);
  });
});

describe('importSpicepod: names and refused Spicepods', () => {
  const one = "  - { from: 's3://lake/a/', name: a }";

  it('makes the Spicepod name a split name, or takes options.name', () => {
    const spicepod = pod(`version: v1\nkind: Spicepod\nname: Shop_Analytics (EU) v2\ndatasets:\n${one}`);
    const result = importSpicepod(spicepod);
    expect(result.description.name).toBe('shop-analytics-eu-v2');
    expect(reasonAt(result, 'name')).toBe('"Shop_Analytics (EU) v2" is not a split name: imported as "shop-analytics-eu-v2"; pass another name (options.name; --name on the command line)');
    expect(importSpicepod(spicepod, { name: 'analytics' }).description.name).toBe('analytics');
  });

  it.each([
    ['a list', ['datasets'], ['(spicepod): a list is not a Spicepod; pass the parsed YAML of a spicepod.yaml: a map with name, version, kind and datasets']],
    ['no datasets', pod('version: v1\nkind: Spicepod\nname: shop\nmodels: []'), ['datasets: is missing; a split serves datasets: import a Spicepod that lists at least one under datasets']],
    ['no name', pod(`version: v1\nkind: Spicepod\ndatasets: []`), [
      'name: is missing; give the Spicepod a name, or pass options.name',
      'datasets: is empty; a split serves datasets: import a Spicepod that lists at least one under datasets',
    ]],
  ])('refuses %s, naming the path and the fix', (_, spicepod, problems) => {
    expect(thrown(() => importSpicepod(spicepod)).problems.map(formatProblem)).toEqual(problems);
  });

  it('refuses an invalid options.name and a Spicepod none of whose datasets can be imported', () => {
    expect(thrown(() => importSpicepod(podWith(one), { name: 'Shop' })).problems.map(formatProblem)).toEqual([
      `options.name: "Shop" is not a split name; use a DNS label of at most 37 characters: lowercase letters, digits and '-', starting with a letter`,
    ]);
    const error = thrown(() => importSpicepod(podWith("  - { from: 'file.parquet', name: a }\n  - { ref: other.yaml }")));
    expect(error.splitName).toBe('shop');
    expect(error.problems.map((p) => p.path)).toEqual(['datasets', 'datasets[0].from', 'datasets[1]']);
  });
});
