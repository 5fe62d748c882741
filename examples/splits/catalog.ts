import type { SplitSpec } from 'read-write-split';
import { upgradeFromLock } from './upgrade';

/**
 * A GCP split on the Enterprise 2.x image: readers restore and hot-swap snapshots from GCS.
 * Products come from parquet exports read through GCS's S3-compatible endpoint (HMAC keys on the
 * writer only); reviews live in MySQL and are queried live on the writer cluster.
 */
export const catalog: SplitSpec = {
  name: 'catalog',
  namespace: 'storefront',
  image: {
    edition: 'enterprise',
    repository: '709825985650.dkr.ecr.us-east-1.amazonaws.com/spice-ai/spiceai-enterprise-byol',
    tag: '2.0.1-enterprise',
  },
  store: { cloud: 'gcp', bucket: 'acme-catalog-snapshots', region: 'europe-west4' },
  // Readers off the cluster (Cloud Run) dial the writers through the chart's internal load
  // balancer, by a name of the VPC's private DNS zone; readers in GKE keep the in-cluster Service.
  writer: { externalFlightEndpoint: 'http://catalog-flight.internal.acme.example:50051' },
  // On a VPC of its own; the cluster API key crosses it in plaintext (no writer.tls here). GKE nodes
  // pull the ECR image with a Secret the cluster refreshes (ECR's credentials last 12 hours).
  acknowledgedWarnings: ['plaintext-flight-endpoint', 'ecr-pull-secret-expiry'],
  datasets: [
    {
      name: 'products',
      from: 's3://acme-catalog-exports/products/',
      params: { file_format: 'parquet', s3_endpoint: 'https://storage.googleapis.com', s3_auth: 'key' },
      secretParams: {
        s3_key: { secretName: 'catalog-exports-hmac', key: 'access-id' },
        s3_secret: { secretName: 'catalog-exports-hmac', key: 'secret' },
      },
      engine: 'sqlite',
      expectedSize: '500Mi',
      snapshots: { trigger: 'time_interval', threshold: '12h', creationPolicy: 'always' },
    },
    {
      name: 'reviews',
      from: 'mysql:catalog.reviews',
      params: { mysql_host: 'catalog-db.internal', mysql_db: 'catalog' },
      secretParams: { mysql_pass: { secretName: 'catalog-db', key: 'password' } },
      readers: 'delegated',
      expectedSize: '2Gi',
    },
  ],
  retention: { refreshSnapshots: '48h', dailyArchive: '14d' },
  // Checked against the deployed description on every synth (docs/upgrades.md).
  upgradeFrom: upgradeFromLock('catalog'),
};
