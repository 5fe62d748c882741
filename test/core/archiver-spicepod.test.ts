import { describe, expect, it } from 'vitest';
import { renderArchiverSpicepod } from '../../lib/core';
import { awsSplit, resolveStoredSplit } from '../support/splits';
import { expectValidSpicepod } from '../support/spicepod-schema';

describe('the archiver Spicepod', () => {
  const archiver = renderArchiverSpicepod(resolveStoredSplit(awsSplit()))!;

  it('is schema-valid and writes only to the archive location, never bootstrapping', () => {
    expectValidSpicepod(archiver.spicepod);
    expect(archiver.spicepod.snapshots).toMatchObject({ enabled: true, location: 's3://shop-snapshots/shop/archive/' });
    for (const dataset of archiver.spicepod.datasets) expect(dataset.acceleration?.snapshots).toBe('create_only');
  });

  it('copies each accelerated dataset from the writer cluster once a day, one snapshot per copy', () => {
    expect(archiver.spicepod.datasets).toEqual([
      {
        from: 'spice.ai:orders',
        name: 'orders',
        params: { spiceai_endpoint: 'http://shop-writer.shop.svc.cluster.local:50051', spiceai_api_key: '${secrets:SPICE_CLUSTER_API_KEY}' },
        acceleration: {
          enabled: true,
          engine: 'duckdb',
          mode: 'file',
          refresh_mode: 'full',
          refresh_check_interval: '24h',
          snapshots: 'create_only',
          snapshots_trigger: 'refresh_complete',
          snapshots_compaction: 'enabled',
          snapshots_creation_policy: 'always',
          params: { duckdb_file: '/data/orders.duckdb' },
        },
      },
    ]);
  });

  it('holds no source credential, only the cluster API key', () => {
    expect(archiver.secretEnv.map((b) => b.purpose)).toEqual(['cluster-api-key']);
    expect(JSON.stringify(archiver.spicepod)).not.toContain('PG_PASS');
  });

  it('does not exist when no archive is kept', () => {
    expect(renderArchiverSpicepod(resolveStoredSplit(awsSplit({ retention: { dailyArchive: 'none' } })))).toBeUndefined();
  });
});
