import type { SplitSpec } from 'read-write-split';
import { upgradeFromLock } from './upgrade';

/**
 * An AWS split on the OSS 1.11 image: orders are snapshotted to the readers, order history is
 * queried live on the writer cluster, and the customers table never leaves the writer.
 */
export const orders: SplitSpec = {
  name: 'orders',
  namespace: 'shop',
  image: { edition: 'oss', repository: 'spiceai/spiceai', tag: '1.11.5' },
  store: { cloud: 'aws', bucket: 'acme-orders-snapshots', region: 'eu-west-1' },
  datasets: [
    {
      name: 'orders',
      from: 's3://acme-lake/orders/',
      params: { file_format: 'parquet', s3_region: 'eu-west-1', s3_auth: 'iam_role' },
      readers: 'accelerated',
      refresh: { mode: 'full', checkInterval: '5m' },
      // A snapshot every 6 hours even when nothing changed, so one always outlives retention.
      snapshots: { trigger: 'time_interval', threshold: '6h', creationPolicy: 'always' },
      expectedSize: '2Gi',
    },
    {
      name: 'order_history',
      from: 'postgres:public.order_history',
      params: { pg_host: 'orders-db.shop.svc.cluster.local', pg_db: 'orders', pg_sslmode: 'require' },
      secretParams: {
        pg_user: { secretName: 'orders-db', key: 'username' },
        pg_pass: { secretName: 'orders-db', key: 'password' },
      },
      readers: 'delegated',
      refresh: { checkInterval: '1h' },
      expectedSize: '20Gi',
    },
    {
      name: 'customers',
      from: 'postgres:public.customers',
      params: { pg_host: 'orders-db.shop.svc.cluster.local', pg_db: 'orders', pg_sslmode: 'require' },
      secretParams: {
        pg_user: { secretName: 'orders-db', key: 'username' },
        pg_pass: { secretName: 'orders-db', key: 'password' },
      },
      readers: 'writer-only',
      engine: 'arrow',
    },
  ],
  retention: { refreshSnapshots: '72h', dailyArchive: '30d' },
  // OSS on purpose: readers pick up new snapshots through a scheduled restart (examples/k8s).
  acknowledgedWarnings: ['oss-snapshots', 'no-hot-swap'],
  // Checked against the deployed description on every synth (docs/upgrades.md).
  upgradeFrom: upgradeFromLock('orders'),
};
