import type { SplitSpec } from 'read-write-split';
import { upgradeFromLock } from './upgrade';

/**
 * An Azure split on the Enterprise 2.x image, with snapshots in an ADLS container. Device models
 * (reference data published as parquet in S3) are snapshotted to the readers; device state and
 * events stay in the lake and are queried live on the writer cluster.
 */
export const telemetry: SplitSpec = {
  name: 'telemetry',
  image: {
    edition: 'enterprise',
    repository: '709825985650.dkr.ecr.us-east-1.amazonaws.com/spice-ai/spiceai-enterprise-byol',
    tag: '2.0.1-enterprise',
  },
  store: { cloud: 'azure', account: 'acmetelemetry', container: 'spice-snapshots', region: 'westeurope' },
  // AKS nodes pull the ECR image with a Secret the cluster refreshes (ECR's credentials last 12 hours).
  acknowledgedWarnings: ['ecr-pull-secret-expiry'],
  datasets: [
    {
      name: 'device_models',
      from: 's3://acme-reference-data/device_models/',
      params: { file_format: 'parquet', s3_region: 'us-east-1', s3_auth: 'public' },
      refresh: { checkInterval: '1h' },
      snapshots: { trigger: 'time_interval', threshold: '12h', creationPolicy: 'always' },
      expectedSize: '500Mi',
    },
    {
      name: 'device_state',
      from: 'abfss://raw@acmelake.dfs.core.windows.net/device_state/',
      params: { file_format: 'parquet' },
      secretParams: { abfs_access_key: { secretName: 'lake-access', key: 'key' } },
      readers: 'delegated',
      refresh: { mode: 'full', checkInterval: '2m' },
      expectedSize: '2Gi',
    },
    {
      name: 'device_events',
      from: 'abfss://raw@acmelake.dfs.core.windows.net/device_events/',
      params: { file_format: 'parquet' },
      secretParams: { abfs_access_key: { secretName: 'lake-access', key: 'key' } },
      readers: 'delegated',
      refresh: { mode: 'append', checkInterval: '1m' },
      timeColumn: 'event_time',
      expectedSize: '5Gi',
    },
  ],
  // The device models are small: 4Gi of acceleration files per reader, which also fits the 8 GiB a
  // Container Apps replica has (examples/azure).
  reader: { localDisk: '4Gi' },
  // Checked against the deployed description on every synth (docs/upgrades.md).
  upgradeFrom: upgradeFromLock('telemetry'),
};
