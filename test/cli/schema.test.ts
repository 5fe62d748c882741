import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DATASET_KEYS, NESTED_DATASET_KEYS, SECRET_PARAM_KEYS, SPLIT_KEYS, SPLIT_OBJECT_KEYS } from '../../lib/core/description-keys';
import { schemaText, SPLIT_FILE_SCHEMA, splitFileSchema } from '../../scripts/split-file-schema';
import { ROOT } from '../support/run';

const EXAMPLE = join(ROOT, 'examples', 'cli', 'orders.split.yaml');

interface Schema {
  readonly $ref?: string;
  readonly anyOf?: Schema[];
  readonly properties?: Record<string, Schema>;
  readonly items?: Schema;
  readonly additionalProperties?: Schema;
}

describe('the description file\'s JSON Schema', () => {
  const committed = readFileSync(SPLIT_FILE_SCHEMA, 'utf8');

  it('is what the TypeScript types generate (run npm run schema after changing them)', () => {
    expect(committed).toBe(schemaText(splitFileSchema()));
  }, 60_000);

  it("lists the keys the library's own check takes for a split, a dataset and the objects in them (lib/core/description-keys.ts)", () => {
    const definitions = JSON.parse(committed).definitions;
    // A property's schema, its reference followed.
    const resolved = (schema: Schema): Schema => (schema.$ref ? definitions[decodeURIComponent(schema.$ref.replace('#/definitions/', ''))] : schema);
    const keysOf = (property: Schema) => Object.keys(resolved(property).properties ?? {}).sort();
    expect([...SPLIT_KEYS].sort()).toEqual(Object.keys(definitions.SplitSpec.properties).sort());
    expect([...DATASET_KEYS].sort()).toEqual(Object.keys(definitions.DatasetSpec.properties).sort());
    for (const [key, keys] of Object.entries(NESTED_DATASET_KEYS)) expect([...keys].sort(), key).toEqual(keysOf(definitions.DatasetSpec.properties[key]));
    // The objects in a split: follow each step (`[]`: a list's items) through the definitions (the file's writer takes the keys of either kind).
    const alternatives = (schema: Schema): Schema[] => (resolved(schema).anyOf ?? [resolved(schema)]).map(resolved);
    const at = (path: string): Schema[] => path.split('.').reduce<Schema[]>((schemas, step) => schemas.flatMap((schema) => {
      const property = alternatives(schema).map((s) => s.properties?.[step.replace('[]', '')]).find(Boolean);
      if (!property) return [];
      return step.endsWith('[]') ? [resolved(property).items!] : [property];
    }), [definitions.SplitSpec]);
    for (const [path, keys] of Object.entries(SPLIT_OBJECT_KEYS)) {
      const found = at(path).flatMap(alternatives).flatMap((schema) => Object.keys(schema.properties ?? {}));
      expect([...keys].sort(), path).toEqual([...new Set(found)].sort());
    }
    expect([...SECRET_PARAM_KEYS].sort()).toEqual(keysOf(definitions.DatasetSpec.properties.secretParams.additionalProperties));
  });

  it('accepts the example description file and refuses a misspelt key, as an editor would', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(committed));
    const example = parse(readFileSync(EXAMPLE, 'utf8'));
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    const misspelt = { ...example, split: { ...example.split, retentoin: example.split.retention } };
    expect(validate(misspelt)).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining({ instancePath: '/split', params: { additionalProperty: 'retentoin' } }));
  });

  it('is referenced by the example for editors (yaml-language-server), at a path that exists', () => {
    const comment = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(EXAMPLE, 'utf8'));
    expect(comment).not.toBeNull();
    expect(join(ROOT, 'examples', 'cli', comment![1])).toBe(SPLIT_FILE_SCHEMA);
  });

  it('documents defaults that are values as defaults, and prose about a default in the description', () => {
    const schema = JSON.parse(committed);
    expect(schema.definitions.AwsBucketOptions.properties.versioned.default).toBe(false);
    expect(schema.definitions.ApplicationManifest.properties.workload.default).toBeUndefined();
    expect(schema.definitions.ApplicationManifest.properties.workload.description).toContain('Default: the only workload of the file');
  });
});
