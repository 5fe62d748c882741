import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { catalog } from '../../examples/splits/catalog';
import { synthesizeSplit } from '../../lib';
import { K8sObject } from '../support/k8s';
import { bin, run } from '../support/run';
import { expectValidSpicepod } from '../support/spicepod-schema';

const SCHEMA = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schemas', 'spicepodset-v2.schema.json'), 'utf8'));

/** Runs the example script (the built dist, as `npm run synth:operator` does) into a fresh directory. */
let out: string;
let result: ReturnType<typeof run>;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'rws-operator-'));
  result = run(bin('tsx'), ['examples/operator/synth.ts', out], { env: { SPICEPODSET_CRD: join(__dirname, '..', 'fixtures', 'operator', 'spicepodset-crd.yaml') } });
});

describe('the operator example (npm run synth:operator)', () => {
  it('writes the catalog split with its writer roles as SpicepodSets', () => {
    expect(result.status, result.output).toBe(0);
    expect(readdirSync(out)).toEqual(['catalog.k8s.yaml']);
    const docs: K8sObject[] = parseAllDocuments(readFileSync(join(out, 'catalog.k8s.yaml'), 'utf8')).map((doc) => doc.toJSON());
    expect(docs.some((d) => d.kind === 'StatefulSet')).toBe(false);
    const sets = docs.filter((d) => d.kind === 'SpicepodSet');
    expect(sets.map((s) => [s.metadata.name, s.spec.replicas, s.spec.updateStrategy.type])).toEqual([
      ['catalog-writer-owner', 1, 'RollingOrdered'],
      ['catalog-writer-replica', 2, 'BlueGreen'],
    ]);
    const validate = new Ajv({ allErrors: true }).compile(SCHEMA);
    const core = synthesizeSplit(catalog);
    for (const set of sets) {
      expect(validate(set), JSON.stringify(validate.errors)).toBe(true);
      expectValidSpicepod(set.spec.spicepod);
    }
    expect(sets[0].spec.spicepod).toEqual(core.writer.snapshotOwner.spicepod);
  });
});
