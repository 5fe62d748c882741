import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { DatasetSpec, SnapshotStoreSpec, SplitSpec } from '../dist/core';

/** The bench split's snapshot store on each cloud. */
export const BENCH_STORES: Readonly<Record<'aws' | 'gcp' | 'azure', SnapshotStoreSpec>> = {
  aws: { cloud: 'aws', bucket: 'bench-snapshots', region: 'eu-west-1' },
  gcp: { cloud: 'gcp', bucket: 'bench-snapshots', region: 'europe-west4' },
  azure: { cloud: 'azure', account: 'benchsnapshots', container: 'spice', region: 'westeurope' },
};

/** The reader apps' container security: what a restricted namespace admits. */
export const APP_SECURITY = { user: 10001, capabilities: { drop: [kplus.Capability.ALL] }, seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT } };

/**
 * A split of `datasets` datasets across the three placements, on an S3 store and the Enterprise
 * 2.x image (quiet: no warning is printed, so none is timed).
 */
export function benchSplit(datasets: number, cloud: keyof typeof BENCH_STORES = 'aws'): SplitSpec {
  const placements = ['accelerated', 'delegated', 'writer-only'] as const;
  return {
    name: 'bench',
    image: { edition: 'enterprise', repository: 'example.com/spiceai-enterprise', tag: '2.0.1-enterprise' },
    store: BENCH_STORES[cloud],
    writer: { storageSize: '100Gi' },
    reader: { localDisk: '40Gi' },
    // The apps' namespaces are given to each cloud component as its readerNamespaces.
    acknowledgedWarnings: ['reader-namespace-undescribed'],
    datasets: Array.from({ length: datasets }, (_, i): DatasetSpec => ({
      name: `table_${i}`,
      from: `s3://lake/table_${i}/`,
      params: { file_format: 'parquet', s3_auth: 'iam_role' },
      readers: placements[i % 3],
      snapshots: { creationPolicy: 'always' },
      expectedSize: '100Mi',
    })),
  };
}

/** The apps that read the split: a Deployment each, in a namespace of its own. */
export function benchApps(count: number): { name: string; namespace: string }[] {
  return Array.from({ length: count }, (_, i) => ({ name: `app-${i}`, namespace: `team-${i}` }));
}

/** An application Deployment as its owners write it. */
export function appDeployment(chart: Chart, name: string): kplus.Deployment {
  return new kplus.Deployment(chart, 'App', {
    metadata: { name },
    containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0', portNumber: 8080, securityContext: APP_SECURITY }],
  });
}

/** Synthesizes every chart of an app to YAML, as `cdk8s synth` does (without writing files). */
export function synthYaml(app: App): number {
  return app.synthYaml().length;
}
