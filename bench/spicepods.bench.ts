import { bench, describe } from 'vitest';
import { DatasetSpec, resolveSplit, spicepodToYaml, SplitSpec, synthesizeSplit } from '../lib/core';

/** A large split: 300 datasets across the three placements, as a big platform team might run. */
function largeSplit(count: number): SplitSpec {
  const placements = ['accelerated', 'delegated', 'writer-only'] as const;
  const datasets: DatasetSpec[] = Array.from({ length: count }, (_, i) => ({
    name: `table_${i}`,
    from: `s3://lake/table_${i}/`,
    params: { file_format: 'parquet' },
    secretParams: { s3_secret: { secretName: 'lake', key: `key-${i}` } },
    readers: placements[i % 3],
    expectedSize: '1Gi',
  }));
  return { name: 'large', store: { cloud: 'aws', bucket: 'large-snaps', region: 'eu-west-1' }, datasets };
}

const small = largeSplit(3);
const large = largeSplit(300);

describe('core rendering', () => {
  bench('synthesizeSplit, 3 datasets', () => {
    synthesizeSplit(small);
  });
  bench('synthesizeSplit, 300 datasets', () => {
    synthesizeSplit(large);
  });
  bench('resolveSplit (validation only), 300 datasets', () => {
    resolveSplit(large);
  });
  const rendered = synthesizeSplit(large);
  bench('spicepodToYaml, writer of 300 datasets', () => {
    spicepodToYaml(rendered.writer.snapshotOwner.spicepod);
  });
});
