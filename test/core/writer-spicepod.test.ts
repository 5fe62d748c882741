import { describe, expect, it } from 'vitest';
import { renderWriterSpicepod, spicepodToYaml, WriterRole } from '../../lib/core';
import { awsSplit, resolveStoredSplit } from '../support/splits';
import { expectValidSpicepod } from '../support/spicepod-schema';
import { parse } from 'yaml';

const split = resolveStoredSplit(awsSplit());
const owner = renderWriterSpicepod(split, 'snapshot-owner');
const replica = renderWriterSpicepod(split, 'query-replica');

function dataset(role: WriterRole, name: string) {
  const rendered = role === 'snapshot-owner' ? owner : replica;
  return rendered.spicepod.datasets.find((d) => d.name === name)!;
}

describe('writer Spicepods', () => {
  it('are valid against Spice\'s schema, also as YAML', () => {
    expectValidSpicepod(owner.spicepod);
    expectValidSpicepod(replica.spicepod);
    expectValidSpicepod(spicepodToYaml(owner.spicepod));
    expect(parse(spicepodToYaml(owner.spicepod))).toEqual(owner.spicepod);
  });

  it('enable API-key auth with the cluster key read from a secret', () => {
    for (const { spicepod } of [owner, replica]) {
      expect(spicepod.runtime).toEqual({ auth: { api_key: { enabled: true, keys: ['${secrets:SPICE_CLUSTER_API_KEY}'] } } });
      expect(spicepod.secrets).toEqual([{ from: 'env', name: 'env' }]);
    }
    expect(owner.secretEnv).toContainEqual({
      envVar: 'SPICE_CLUSTER_API_KEY',
      secret: { secretName: 'shop-cluster-api-key', key: 'api-key' },
      purpose: 'cluster-api-key',
    });
  });

  it('point the snapshots block at the refresh location with s3_-prefixed params', () => {
    expect(owner.spicepod.snapshots).toEqual({
      enabled: true,
      location: 's3://shop-snapshots/shop/refresh/',
      bootstrap_on_failure_behavior: 'warn',
      params: { s3_region: 'eu-west-1', s3_auth: 'iam_role' },
    });
  });

  it('let only the snapshot owner upload: query replicas bootstrap only', () => {
    expect(dataset('snapshot-owner', 'orders').acceleration).toMatchObject({
      snapshots: 'enabled',
      snapshots_trigger: 'refresh_complete',
      snapshots_compaction: 'enabled',
      snapshots_creation_policy: 'on_change',
    });
    const replicaAcceleration = dataset('query-replica', 'orders').acceleration!;
    expect(replicaAcceleration.snapshots).toBe('bootstrap_only');
    expect(replicaAcceleration.snapshots_trigger).toBeUndefined();
    const uploading = replica.spicepod.datasets.filter((d) => ['enabled', 'create_only'].includes(d.acceleration?.snapshots ?? ''));
    expect(uploading).toEqual([]);
    expect(owner.spicepod.name).toBe('shop-writer');
    expect(replica.spicepod.name).toBe('shop-writer-replica');
  });

  it('snapshot only accelerated datasets', () => {
    expect(dataset('snapshot-owner', 'history').acceleration?.snapshots).toBeUndefined();
    expect(dataset('snapshot-owner', 'customers').acceleration?.snapshots).toBeUndefined();
  });

  it('give every file-backed dataset its own file on the writer volume', () => {
    const files = owner.spicepod.datasets.map((d) => d.acceleration?.params?.duckdb_file);
    expect(files).toEqual(['/data/orders.duckdb', '/data/history.duckdb', '/data/customers.duckdb']);
    expect(new Set(files).size).toBe(files.length);
  });

  it('hold source credentials only as secret placeholders, exposed from Kubernetes Secrets', () => {
    expect(dataset('snapshot-owner', 'history').params).toEqual({ pg_host: 'db.internal', pg_pass: '${secrets:HISTORY_PG_PASS}' });
    expect(owner.secretEnv).toContainEqual({
      envVar: 'HISTORY_PG_PASS',
      secret: { secretName: 'shop-db', key: 'password' },
      purpose: 'source-credential',
    });
    expect(JSON.stringify(owner.spicepod)).not.toContain('password');
  });

  it('render refresh settings with a 10m default interval', () => {
    expect(dataset('snapshot-owner', 'orders').acceleration).toMatchObject({
      engine: 'duckdb',
      mode: 'file',
      refresh_mode: 'full',
      refresh_check_interval: '10m',
      refresh_on_startup: 'auto',
    });
  });

  it('render SQLite, Turso and in-memory engines, and compaction only for DuckDB', () => {
    const custom = resolveStoredSplit(awsSplit({
      datasets: [
        { name: 'small', from: 's3://lake/small/', engine: 'sqlite' },
        { name: 'hot', from: 's3://lake/hot/', engine: 'arrow', readers: 'delegated' },
        { name: 'raw', from: 's3://lake/raw/', snapshots: { compaction: false, creationPolicy: 'always' } },
        { name: 'edge', from: 's3://lake/edge/', engine: 'turso' },
      ],
    }));
    const [small, hot, raw, edge] = renderWriterSpicepod(custom, 'snapshot-owner').spicepod.datasets;
    expect(edge.acceleration).toMatchObject({ engine: 'turso', mode: 'file', snapshots: 'enabled', params: { turso_file: '/data/edge.turso' } });
    expect(small.acceleration).toMatchObject({ engine: 'sqlite', mode: 'file', params: { sqlite_file: '/data/small.sqlite' } });
    expect(small.acceleration?.snapshots_compaction).toBeUndefined();
    expect(hot.acceleration).toMatchObject({ engine: 'arrow', mode: 'memory' });
    expect(hot.acceleration?.params).toBeUndefined();
    expect(raw.acceleration).toMatchObject({ snapshots_compaction: 'disabled', snapshots_creation_policy: 'always' });
    expectValidSpicepod(renderWriterSpicepod(custom, 'snapshot-owner').spicepod);
  });

  it('render a time-interval trigger for streaming sources', () => {
    const streaming = resolveStoredSplit(awsSplit({
      datasets: [{ name: 'events', from: 's3://lake/events/', refresh: { mode: 'changes' }, snapshots: { threshold: '30m' } }],
    }));
    const acceleration = renderWriterSpicepod(streaming, 'snapshot-owner').spicepod.datasets[0].acceleration;
    expect(acceleration).toMatchObject({ refresh_mode: 'changes', snapshots_trigger: 'time_interval', snapshots_trigger_threshold: '30m' });
    expect(acceleration?.refresh_check_interval).toBeUndefined();
  });
});
