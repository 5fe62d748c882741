import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderWriterSpicepod } from '../../lib/core';
import { awsSplit, resolveStoredSplit } from '../support/splits';
import { expectValidSpicepod, SCHEMA_PATH, spicepodSchemaErrors } from '../support/spicepod-schema';

describe('the Spicepod schema helper', () => {
  it('uses the verbatim copy of Spice\'s schema noted in schemas/README.md', () => {
    const sha = createHash('sha256').update(readFileSync(SCHEMA_PATH)).digest('hex');
    expect(sha).toBe('206088585b166cac5dcbf8d77800a8763ca7e4e118f542061dcf93633310efb5');
  });

  it('accepts a rendered writer Spicepod', () => {
    const writer = renderWriterSpicepod(resolveStoredSplit(awsSplit()), 'snapshot-owner').spicepod;
    expect(spicepodSchemaErrors(writer)).toEqual([]);
  });

  it('rejects an unknown dataset key', () => {
    const writer = renderWriterSpicepod(resolveStoredSplit(awsSplit()), 'snapshot-owner').spicepod;
    const broken = { ...writer, datasets: [{ ...writer.datasets[0], refresh_every: '5m' }] };
    const errors = spicepodSchemaErrors(broken);
    expect(errors.some((e) => e.message === 'must NOT have additional properties' && e.params.additionalProperty === 'refresh_every')).toBe(true);
    expect(() => expectValidSpicepod(broken)).toThrow(/not valid against spicepod.schema.json/);
  });

  it('rejects an unknown snapshot behaviour', () => {
    const writer = renderWriterSpicepod(resolveStoredSplit(awsSplit()), 'snapshot-owner').spicepod;
    const acceleration = { ...writer.datasets[0].acceleration, snapshots: 'sometimes' };
    const broken = { ...writer, datasets: [{ ...writer.datasets[0], acceleration }] };
    expect(spicepodSchemaErrors(broken).length).toBeGreaterThan(0);
  });

  it('accepts API keys as the plain strings spiced parses, and nothing else', () => {
    const writer = renderWriterSpicepod(resolveStoredSplit(awsSplit()), 'snapshot-owner').spicepod;
    expect(spicepodSchemaErrors({ ...writer, runtime: { auth: { api_key: { enabled: true, keys: ['abc:rw'] } } } })).toEqual([]);
    expect(spicepodSchemaErrors({ ...writer, runtime: { auth: { api_key: { enabled: true, keys: [42] } } } }).length).toBeGreaterThan(0);
  });
});
