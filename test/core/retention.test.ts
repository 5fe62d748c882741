import { describe, expect, it } from 'vitest';
import { synthesizeSplit } from '../../lib/core';
import { awsSplit } from '../support/splits';

describe('the retention plan', () => {
  it('expires refresh snapshots after 3 days and the daily archive after 30 by default', () => {
    const { retention } = synthesizeSplit(awsSplit());
    expect(retention).toEqual({
      rules: [
        {
          id: 'expire-refresh-snapshots',
          description: 'Refresh-triggered snapshots expire after 3 day(s)',
          prefix: 'shop/refresh/month=',
          expireAfterDays: 3,
        },
        {
          id: 'expire-daily-archive',
          description: 'Daily archive snapshots expire after 30 day(s)',
          prefix: 'shop/archive/month=',
          expireAfterDays: 30,
        },
      ],
      abortIncompleteUploads: { prefix: 'shop/', afterDays: 1 },
    });
  });

  it('matches the partitions spiced writes under the snapshot location, but never metadata.json', () => {
    const result = synthesizeSplit(awsSplit({ store: { cloud: 'aws', bucket: 'snaps', region: 'eu-west-1', prefix: 'spice/prod' } }));
    const location = result.writer.snapshotOwner.spicepod.snapshots!.location;
    expect(location).toBe('s3://snaps/spice/prod/refresh/');
    const key = (path: string) => `${location.replace('s3://snaps/', '')}${path}`;
    const refreshRule = result.retention.rules[0];
    // spiced writes <location>/month=YYYY-MM/day=YYYY-MM-DD/dataset=<name>/<name>_<ts>.<ext> and <location>/metadata.json
    expect(key('month=2026-11/day=2026-11-24/dataset=orders/orders_20261124T101500Z.duckdb').startsWith(refreshRule.prefix)).toBe(true);
    expect(key('metadata.json').startsWith(refreshRule.prefix)).toBe(false);
    expect(key('month=2026-11/day=2026-11-24/dataset=orders/x.duckdb').startsWith(result.retention.rules[1].prefix)).toBe(false);
  });

  it('accepts whole days written in hours or days', () => {
    expect(synthesizeSplit(awsSplit({ retention: { refreshSnapshots: '24h', dailyArchive: '90d', abortIncompleteUploads: '2d' } })).retention).toMatchObject({
      rules: [{ expireAfterDays: 1 }, { expireAfterDays: 90 }],
      abortIncompleteUploads: { afterDays: 2 },
    });
  });

  it('keeps no archive rule when the archive is off', () => {
    expect(synthesizeSplit(awsSplit({ retention: { dailyArchive: 'none' } })).retention.rules.map((r) => r.id)).toEqual(['expire-refresh-snapshots']);
  });
});
