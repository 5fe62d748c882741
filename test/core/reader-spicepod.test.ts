import { describe, expect, it } from 'vitest';
import { renderReaderSpicepod, resolveSplit, SplitSpec, SplitValidationError } from '../../lib/core';
import { ENTERPRISE_FILE_FORMAT } from '../support/spice-images';
import { awsSplit, ENTERPRISE_2 } from '../support/splits';
import { expectValidSpicepod } from '../support/spicepod-schema';

function reader(spec: SplitSpec) {
  const rendered = renderReaderSpicepod(resolveSplit(spec));
  expectValidSpicepod(rendered.spicepod);
  return rendered;
}

const gcsStore = { cloud: 'gcp', bucket: 'shop-snapshots', region: 'europe-west4' } as const;
const azureStore = { cloud: 'azure', account: 'shopsnaps', container: 'snapshots', region: 'westeurope' } as const;

describe('the reader Spicepod', () => {
  const oss = reader(awsSplit());

  it('carries no source credentials: no secret params, only the cluster API key', () => {
    const text = JSON.stringify(oss.spicepod);
    expect(text).not.toContain('pg_pass');
    expect(text).not.toContain('HISTORY_PG_PASS');
    expect(oss.secretEnv).toEqual([
      { envVar: 'SPICE_CLUSTER_API_KEY', secret: { secretName: 'shop-cluster-api-key', key: 'api-key' }, purpose: 'cluster-api-key' },
    ]);
  });

  it('bootstraps only, with retry by default: a reader stays unready rather than serving nothing', () => {
    expect(oss.spicepod.snapshots).toEqual({
      enabled: true,
      location: 's3://shop-snapshots/shop/refresh/',
      bootstrap_on_failure_behavior: 'retry',
      params: { s3_region: 'eu-west-1', s3_auth: 'iam_role' },
    });
    const orders = oss.spicepod.datasets.find((d) => d.name === 'orders')!;
    expect(orders.acceleration?.snapshots).toBe('bootstrap_only');
  });

  it('honours retry', () => {
    const retry = reader(awsSplit({ reader: { bootstrapOnFailure: 'retry' } }));
    expect(retry.spicepod.snapshots?.bootstrap_on_failure_behavior).toBe('retry');
  });

  it('omits writer-only datasets and agrees with the writer on names and engines', () => {
    expect(oss.spicepod.datasets.map((d) => d.name)).toEqual(['orders', 'history']);
    expect(oss.spicepod.datasets[0].acceleration).toMatchObject({ engine: 'duckdb', mode: 'file', params: { duckdb_file: '/local/orders.duckdb' } });
  });

  it('on spiced 1.x keeps the credential-less s3:// source and never refreshes from it', () => {
    expect(oss.spicepod.datasets[0]).toEqual({
      from: 's3://lake/orders/',
      name: 'orders',
      ready_state: 'on_load',
      params: { file_format: 'parquet' },
      acceleration: {
        enabled: true,
        engine: 'duckdb',
        mode: 'file',
        refresh_mode: 'full',
        refresh_on_startup: 'auto',
        on_zero_results: 'return_empty',
        snapshots: 'bootstrap_only',
        params: { duckdb_file: '/local/orders.duckdb' },
      },
    });
  });

  it('drops auth-mode params, which would make the credential-less connector fail to build', () => {
    const keyed = reader(awsSplit({
      datasets: [{
        name: 'orders',
        from: 's3://lake/orders/',
        params: { file_format: 'parquet', s3_region: 'eu-west-1', s3_auth: 'key' },
        secretParams: { s3_key: { secretName: 'lake', key: 'id' }, s3_secret: { secretName: 'lake', key: 'secret' } },
      }],
    }));
    expect(keyed.spicepod.datasets[0].params).toEqual({ file_format: 'parquet', s3_region: 'eu-west-1' });
  });

  it('delegates with the spice.ai connector, spiceai_-prefixed params and an http:// Flight endpoint', () => {
    expect(oss.spicepod.datasets[1]).toEqual({
      from: 'spice.ai:history',
      name: 'history',
      params: {
        spiceai_endpoint: 'http://shop-writer.shop.svc.cluster.local:50051',
        spiceai_api_key: '${secrets:SPICE_CLUSTER_API_KEY}',
      },
    });
  });

  it('uses a custom Flight endpoint and API key secret', () => {
    const custom = reader(awsSplit({
      writer: { flightEndpoint: 'grpc+tls://spice.internal:443', apiKey: { secretName: 'flight', key: 'token' } },
    }));
    expect(custom.spicepod.datasets[1].params?.spiceai_endpoint).toBe('grpc+tls://spice.internal:443');
    expect(custom.secretEnv[0].secret).toEqual({ secretName: 'flight', key: 'token' });
  });

  it('needs no secret at all when nothing is delegated', () => {
    const plain = reader(awsSplit({ datasets: [{ name: 'orders', from: 's3://lake/orders/' }] }));
    expect(plain.secretEnv).toEqual([]);
    expect(plain.spicepod.secrets).toBeUndefined();
  });

  it('on Enterprise 2.x with S3 reads published snapshots directly and never names the source', () => {
    const enterprise = reader(awsSplit({ image: ENTERPRISE_FILE_FORMAT, reader: { snapshotCheckInterval: '30s' } }));
    const orders = enterprise.spicepod.datasets[0];
    expect(orders).toEqual({
      from: 's3://shop-snapshots/shop/refresh/',
      name: 'orders',
      params: { file_format: 'snapshot', s3_region: 'eu-west-1', s3_auth: 'iam_role' },
      acceleration: { refresh_check_interval: '30s' },
    });
    expect(enterprise.spicepod.snapshots).toBeUndefined();
  });

  it('on Enterprise 2.x accelerates a database source readers could never reach', () => {
    const spec = awsSplit({ image: ENTERPRISE_FILE_FORMAT, datasets: [{ name: 'stock', from: 'postgres:public.stock', secretParams: { pg_pass: { secretName: 'db', key: 'pw' } } }] });
    expect(reader(spec).spicepod.datasets[0].from).toBe('s3://shop-snapshots/shop/refresh/');
  });

  for (const [cloud, store, location] of [
    ['GCS', gcsStore, 'gs://shop-snapshots/shop/refresh/'],
    ['Azure', azureStore, 'abfss://snapshots@shopsnaps.dfs.core.windows.net/shop/refresh/'],
  ] as const) {
    it(`on Enterprise 2.x with ${cloud} hot-swaps snapshots and keeps only non-secret source params`, () => {
      const spec = awsSplit({ image: ENTERPRISE_2, store });
      const hot = reader(spec);
      expect(hot.spicepod.snapshots).toEqual({ enabled: true, location, bootstrap_on_failure_behavior: 'retry' });
      expect(hot.spicepod.datasets[0]).toEqual({
        from: 's3://lake/orders/',
        name: 'orders',
        ready_state: 'on_load',
        params: { file_format: 'parquet' },
        acceleration: {
          enabled: true,
          engine: 'duckdb',
          mode: 'file',
          refresh_mode: 'snapshot',
          refresh_check_interval: '1m',
          snapshots: 'bootstrap_only',
          params: { duckdb_file: '/local/orders.duckdb' },
        },
      });
    });
  }

  it('on spiced 1.x with GCS or Azure renders no snapshot params (spiced reads none there)', () => {
    expect(reader(awsSplit({ store: gcsStore })).spicepod.snapshots?.params).toBeUndefined();
    expect(reader(awsSplit({ store: azureStore })).spicepod.snapshots?.location).toBe('abfss://snapshots@shopsnaps.dfs.core.windows.net/shop/refresh/');
  });
});

describe('a reader serving some of the datasets', () => {
  const split = resolveSplit(awsSplit());

  it('renders only those, and needs no API key without a delegated one', () => {
    const only = renderReaderSpicepod(split, { datasets: ['orders'] });
    expectValidSpicepod(only.spicepod);
    expect(only.spicepod.datasets.map((d) => d.name)).toEqual(['orders']);
    expect(only.secretEnv).toEqual([]);
  });

  it('refuses a dataset the writer does not have, and a writer-only one', () => {
    const attempt = () => renderReaderSpicepod(split, { datasets: ['orders', 'invoices', 'customers'] });
    expect(attempt).toThrow(SplitValidationError);
    expect(attempt).toThrow(/reader.datasets\[1\]: "invoices" is not a dataset of the split; use one of orders, history/);
    expect(attempt).toThrow(/reader.datasets\[2\]: "customers" is writer-only: no reader Spicepod holds it/);
  });

  it('names the dataset meant by a misspelt one', () => {
    expect(() => renderReaderSpicepod(split, { datasets: ['order'] }))
      .toThrow(/reader.datasets\[0\]: "order" is not a dataset of the split; did you mean 'orders'\? \(the split's reader datasets: orders, history\)/);
  });
});
