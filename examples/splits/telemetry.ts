import type { SplitSpec } from 'read-write-split';

/** An Azure split on the Enterprise 2.x image, with snapshots in an ADLS container. */
export const telemetry: SplitSpec = {
  name: 'telemetry',
  image: { edition: 'enterprise', repository: 'ghcr.io/spicehq/spiceai-enterprise', tag: '2.0.1' },
  store: { cloud: 'azure', account: 'acmetelemetry', container: 'spice-snapshots', region: 'westeurope' },
  datasets: [
    {
      name: 'device_state',
      from: 'abfss://raw@acmelake.dfs.core.windows.net/device_state/',
      params: { file_format: 'parquet' },
      secretParams: { abfs_access_key: { secretName: 'lake-access', key: 'key' } },
      refresh: { mode: 'full', checkInterval: '2m' },
    },
    {
      name: 'device_events',
      from: 'abfss://raw@acmelake.dfs.core.windows.net/device_events/',
      params: { file_format: 'parquet' },
      secretParams: { abfs_access_key: { secretName: 'lake-access', key: 'key' } },
      readers: 'delegated',
      refresh: { mode: 'append', checkInterval: '1m' },
      timeColumn: 'event_time',
    },
  ],
};
