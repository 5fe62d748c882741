import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SplitValidationError } from '../../lib/core/errors';
import { resolveSplit } from '../../lib/core/split';
import { importSpicepod, SpicepodImport } from '../../lib/core/spicepod-import';
import { synthesizeSplit } from '../../lib/core/synthesize';

/** The value every generated inline credential holds: it must never reach the output. */
const INLINE = 'inline-s3cr3t';
const CREDENTIAL = /(^|_)(pass|secret|token|key)$/;

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const paramValue = fc.constantFrom<unknown>('plain', 'parquet', '${secrets:PG_PASS}', '${ env:LAKE_KEY }', '${vault:db/user}', 'x ${secrets:A} y', '${secrets:}', 5432, true, null, ['a']);
const params = fc
  .dictionary(fc.constantFrom('pg_pass', 'pg_host', 'file_format', 's3_key', 's3_auth', 'api_token', 'client_secret', 'x'), paramValue, { maxKeys: 5 })
  .map((given) => Object.fromEntries(Object.entries(given).map(([key, value]) => [key, CREDENTIAL.test(key) && value === 'plain' ? INLINE : value])));

const acceleration = fc.record(
  {
    enabled: fc.constantFrom<unknown>(true, false, undefined),
    engine: fc.constantFrom<unknown>('duckdb', 'sqlite', 'turso', 'arrow', 'cayenne', 'postgres', 'other', undefined, 3),
    mode: fc.constantFrom<unknown>('file', 'memory', 'file_create', 'odd', undefined),
    refresh_mode: fc.constantFrom<unknown>('full', 'append', 'changes', 'caching', 'snapshot', undefined),
    refresh_check_interval: fc.constantFrom<unknown>('10m', '1h30m', 5, undefined),
    refresh_cron: fc.constantFrom<unknown>('0 * * * *', undefined),
    refresh_data_window: fc.constantFrom<unknown>('7d', undefined),
    refresh_on_startup: fc.constantFrom<unknown>('auto', 'always', 'never', undefined),
    snapshots: fc.constantFrom<unknown>('enabled', 'disabled', 'bootstrap_only', undefined),
    snapshots_trigger: fc.constantFrom<unknown>('refresh_complete', 'time_interval', 'stream_batches', 'x', undefined),
    snapshots_trigger_threshold: fc.constantFrom<unknown>('30m', 300, 'soon', undefined),
    snapshots_compaction: fc.constantFrom<unknown>('enabled', 'disabled', 'maybe', undefined),
    snapshots_creation_policy: fc.constantFrom<unknown>('on_change', 'always', 'on_changed', undefined),
    retention_period: fc.constantFrom<unknown>('30d', undefined),
    params: maybe(fc.dictionary(fc.constantFrom('duckdb_file', 'duckdb_memory_limit', 'sqlite_file', 'pg_pass', 'busy_timeout'), paramValue, { maxKeys: 3 })),
  },
  { requiredKeys: [] },
);

const dataset = fc.record(
  {
    name: fc.constantFrom<unknown>('orders', 'orders', 'Orders', 'my-data', '1st', 'spice.public.t', 42, undefined),
    from: fc.constantFrom<unknown>('s3://lake/x/', 'postgres:public.t', 'mysql:db.t', 'spice.ai:x', 'localpod:orders', 'file.parquet', undefined),
    description: fc.constantFrom<unknown>('Orders', 7, undefined),
    time_column: fc.constantFrom<unknown>('ts', undefined),
    params: maybe(params),
    acceleration: maybe(acceleration),
    ready_state: fc.constantFrom<unknown>('on_load', undefined),
  },
  { requiredKeys: ['name', 'from'] },
);

const spicepod = fc.record(
  {
    version: fc.constant('v1'),
    kind: fc.constant('Spicepod'),
    name: fc.constantFrom<unknown>('shop', 'Shop Analytics', 'x'.repeat(60), '9lives', undefined),
    snapshots: maybe(fc.record({
      location: fc.constantFrom<unknown>('s3://snaps/prod/', 's3://Bad_Bucket/', 's3://snaps/Upper/', 'gs://snaps/', 'abfss://c1@acct.dfs.core.windows.net/p/', 'file:///tmp/s/', 42),
      params: maybe(fc.record({ s3_region: fc.constantFrom<unknown>('eu-west-1', 'moon-1', undefined), s3_key: fc.constantFrom<unknown>('${secrets:K}', undefined) }, { requiredKeys: [] })),
    }, { requiredKeys: [] })),
    datasets: fc.array(dataset, { maxLength: 6 }),
    models: maybe(fc.constant([{ from: 'openai:gpt-4o', name: 'm' }])),
    views: maybe(fc.constant([{ name: 'v', sql: 'SELECT 1' }])),
  },
  { requiredKeys: ['datasets'] },
);

function attempt(pod: unknown): SpicepodImport | undefined {
  try {
    return importSpicepod(pod);
  } catch (error) {
    expect(error).toBeInstanceOf(SplitValidationError);
    return undefined;
  }
}

describe('importSpicepod on any Spicepod', () => {
  it('returns a description the library accepts, or refuses with a SplitValidationError; inline credentials never reach the output', () => {
    let imported = 0;
    fc.assert(
      fc.property(spicepod, (pod) => {
        const result = attempt(pod);
        if (!result) return;
        imported++;
        expect(() => resolveSplit(result.description)).not.toThrow();
        const owner = synthesizeSplit(result.description).writer.snapshotOwner;
        expect(JSON.stringify([result, owner])).not.toContain(INLINE);
        for (const note of result.unmapped) expect(note.reason.length).toBeGreaterThan(10);
      }),
      { numRuns: 400 },
    );
    expect(imported).toBeGreaterThan(50);
  });
});
