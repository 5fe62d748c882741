import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expectValidSpicepod } from '../support/spicepod-schema';
import { bin, run } from '../support/run';

/** Runs the example script that `npm run synth` runs, into a fresh directory. */
let out: string;
let result: ReturnType<typeof run>;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'rws-spicepods-'));
  result = run(bin('tsx'), ['examples/spicepods/main.ts', out]);
});

const read = (split: string, file: string) => readFileSync(join(out, split, file), 'utf8');

describe('the Spicepods example (npm run synth:spicepods)', () => {
  it('writes writer, writer-replica and reader Spicepods for every example split', () => {
    expect(result.status, result.output).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['catalog', 'inventory', 'orders', 'telemetry']);
    for (const split of readdirSync(out)) {
      expect(readdirSync(join(out, split)).sort()).toEqual(['archiver.yaml', 'plan.json', 'reader.yaml', 'writer-replica.yaml', 'writer.yaml']);
    }
  });

  it('writes only schema-valid Spicepods', () => {
    for (const split of readdirSync(out)) {
      for (const file of ['writer.yaml', 'writer-replica.yaml', 'reader.yaml', 'archiver.yaml']) expectValidSpicepod(read(split, file));
    }
  });

  it('has a split with an accelerated, a delegated and a writer-only dataset', () => {
    const writer = parse(read('orders', 'writer.yaml'));
    const reader = parse(read('orders', 'reader.yaml'));
    expect(writer.datasets.map((d: { name: string }) => d.name)).toEqual(['orders', 'order_history', 'customers']);
    expect(reader.datasets.map((d: { name: string; from: string }) => [d.name, d.from])).toEqual([
      ['orders', 's3://acme-lake/orders/'],
      ['order_history', 'spice.ai:order_history'],
    ]);
  });

  it('keeps source credentials out of every reader', () => {
    for (const split of readdirSync(out)) {
      const reader = read(split, 'reader.yaml');
      for (const placeholder of reader.match(/\$\{secrets:[A-Z_]+\}/g) ?? []) expect(placeholder).toBe('${secrets:SPICE_CLUSTER_API_KEY}');
      expect(reader).not.toMatch(/pg_pass|mysql_pass|abfs_access_key/);
    }
  });

  it('writes the retention plan and sizing, and no warning: the examples acknowledge what they chose on purpose', () => {
    const plan = JSON.parse(read('catalog', 'plan.json'));
    expect(plan.retention.rules.map((r: { prefix: string; expireAfterDays: number }) => [r.prefix, r.expireAfterDays])).toEqual([
      ['catalog/refresh/month=', 2],
      ['catalog/archive/month=', 14],
    ]);
    // orders runs OSS 1.11.5 on purpose and says so (acknowledgedWarnings); nothing else warns.
    expect(result.stderr).not.toMatch(/\[Warning/i);
    expect(JSON.parse(read('orders', 'plan.json')).warnings).toEqual([]);
  });

  it('fails with the validation message, not a stack trace, on a bad description', () => {
    const bad = run(bin('tsx'), ['-e', `
      const { synthesizeSplit } = require('read-write-split');
      try { synthesizeSplit({ name: 'x', store: { cloud: 'aws', bucket: 'b', region: 'eu-west-1' }, datasets: [] }); }
      catch (e) { console.error(e.message); process.exit(1); }`]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('store.bucket: "b" is not an S3 bucket name');
    expect(bad.stderr).toContain('datasets: is empty; describe at least one dataset');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
