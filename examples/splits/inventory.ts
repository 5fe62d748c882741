import type { SplitSpec } from 'read-write-split';

/**
 * An AWS split on the Enterprise 2.x image: readers serve the Postgres-backed inventory straight
 * from the published snapshots (`file_format: snapshot`) and never contact the database.
 */
export const inventory: SplitSpec = {
  name: 'inventory',
  image: {
    edition: 'enterprise',
    repository: '709825985650.dkr.ecr.us-east-1.amazonaws.com/spice-ai/spiceai-enterprise-byol',
    tag: '2.0.1-enterprise',
  },
  store: { cloud: 'aws', bucket: 'acme-inventory-snapshots', region: 'us-east-1', prefix: 'spice/inventory' },
  datasets: [
    {
      name: 'stock_levels',
      from: 'postgres:public.stock_levels',
      params: { pg_host: 'inventory-db.internal', pg_db: 'inventory' },
      secretParams: { pg_pass: { secretName: 'inventory-db', key: 'password' } },
      refresh: { checkInterval: '1m' },
      snapshots: { trigger: 'time_interval', threshold: '15m', creationPolicy: 'always' },
      expectedSize: '1Gi',
    },
    {
      name: 'stock_movements',
      from: 'postgres:public.stock_movements',
      params: { pg_host: 'inventory-db.internal', pg_db: 'inventory' },
      secretParams: { pg_pass: { secretName: 'inventory-db', key: 'password' } },
      readers: 'delegated',
    },
  ],
  reader: { snapshotCheckInterval: '30s' },
};
