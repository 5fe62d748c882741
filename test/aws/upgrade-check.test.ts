import { describe, expect, it } from 'vitest';
import { lockDescription } from '../../lib/core';
import { awsStack } from '../support/aws';
import { thrown } from '../support/errors';
import { awsSplit } from '../support/splits';

describe('ReadWriteSplitAws with an upgraded description', () => {
  const lock = lockDescription(awsSplit());
  const moved = awsSplit({ store: { cloud: 'aws', bucket: 'shop-snapshots-v2', region: 'eu-west-1' } });

  it('refuses a new snapshot bucket: readers would lose their snapshots', () => {
    const error = thrown(() => awsStack({ split: { ...moved, upgradeFrom: { lock } } }));
    expect(error.where).toBe('Shop/Shop');
    expect(error.problems.map((p) => p.path)).toEqual(['split.store.bucket']);
    expect(error.problems[0].message).toMatch(/^"shop-snapshots-v2" was "shop-snapshots" in the lock: readers would restore from a location that holds no snapshot yet/);
  });

  it('creates it when allowed', () => {
    const { template } = awsStack({ split: { ...moved, upgradeFrom: { lock, allow: [{ change: 'store' }] } } });
    template.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'shop-snapshots-v2' });
  });
});
