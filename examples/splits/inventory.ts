import type { SplitSpec } from 'read-write-split';
import { upgradeFromLock } from './upgrade';

/**
 * An AWS split on the Enterprise 2.x image: stock levels, exported from the inventory database to
 * parquet in S3 every minute, are snapshotted to the readers, which hot-swap newer snapshots
 * (`refresh_mode: snapshot`) and never contact a source; stock movements stay in Postgres and are
 * queried live on the writer cluster. Readers could serve the Postgres table itself only from an
 * image that ships `file_format: snapshot` (`image.snapshotFileFormat`), which no release does yet.
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
      from: 's3://acme-inventory-exports/stock_levels/',
      params: { file_format: 'parquet', s3_region: 'us-east-1', s3_auth: 'iam_role' },
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
      expectedSize: '4Gi',
    },
  ],
  reader: { snapshotCheckInterval: '30s' },
  // Checked against the deployed description on every synth (docs/upgrades.md).
  upgradeFrom: upgradeFromLock('inventory'),
};
