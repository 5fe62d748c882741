import type { SplitSpec } from 'read-write-split';

/** A GCP split on the Enterprise 2.x image: readers restore and hot-swap snapshots from GCS. */
export const catalog: SplitSpec = {
  name: 'catalog',
  namespace: 'storefront',
  image: { edition: 'enterprise', repository: 'ghcr.io/spicehq/spiceai-enterprise', tag: '2.0.1-models' },
  store: { cloud: 'gcp', bucket: 'acme-catalog-snapshots', region: 'europe-west4' },
  datasets: [
    {
      name: 'products',
      from: 'mysql:catalog.products',
      params: { mysql_host: 'catalog-db.internal', mysql_db: 'catalog' },
      secretParams: { mysql_pass: { secretName: 'catalog-db', key: 'password' } },
      engine: 'sqlite',
      expectedSize: '500Mi',
    },
    {
      name: 'reviews',
      from: 'mysql:catalog.reviews',
      params: { mysql_host: 'catalog-db.internal', mysql_db: 'catalog' },
      secretParams: { mysql_pass: { secretName: 'catalog-db', key: 'password' } },
      readers: 'delegated',
    },
  ],
  retention: { refreshSnapshots: '48h', dailyArchive: '14d' },
};
