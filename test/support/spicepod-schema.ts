import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import { parse } from 'yaml';

/** The verbatim copy of Spice's schema (see schemas/README.md). */
export const SCHEMA_PATH = join(__dirname, '..', '..', 'schemas', 'spicepod.schema.json');

type JsonObject = Record<string, any>;

function definition(schema: JsonObject, name: string): JsonObject {
  const found = schema.$defs?.[name];
  if (!found) throw new Error(`Schema patch is stale: $defs.${name} no longer exists; review schemas/README.md`);
  return found;
}

/** Narrow patches where spiced parses what the schema does not describe; reasons in schemas/README.md. */
function patch(schema: JsonObject): JsonObject {
  // 1. spiced reads API keys as plain strings with an optional ':ro' / ':rw' suffix.
  const apiKey = definition(schema, 'ApiKey');
  if (!Array.isArray(apiKey.oneOf)) throw new Error('Schema patch is stale: $defs.ApiKey.oneOf moved');
  apiKey.oneOf.push({ type: 'string', pattern: '^.+?(:(ro|rw))?$' });
  // 2. spiced 2.0.0-rc.5+ (Enterprise) accepts refresh_mode 'snapshot' for hot-swapping readers.
  const refreshMode = definition(schema, 'RefreshMode');
  if (!Array.isArray(refreshMode.enum)) throw new Error('Schema patch is stale: $defs.RefreshMode.enum moved');
  refreshMode.enum.push('snapshot');
  return schema;
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, strictTypes: false });
    ajv.addVocabulary(['x-spice-connectors', 'x-secret']);
    for (const format of ['uint', 'uint32', 'int64', 'double']) ajv.addFormat(format, true);
    compiled = ajv.compile(patch(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'))));
  }
  return compiled;
}

/** Validates a Spicepod (object or YAML text); returns the schema errors, empty when valid. */
export function spicepodSchemaErrors(spicepod: unknown): ErrorObject[] {
  const document = typeof spicepod === 'string' ? parse(spicepod) : spicepod;
  const validate = validator();
  return validate(document) ? [] : [...(validate.errors ?? [])];
}

/** Throws with readable errors unless the Spicepod is valid against Spice's schema. */
export function expectValidSpicepod(spicepod: unknown): void {
  const errors = spicepodSchemaErrors(spicepod);
  if (errors.length > 0) {
    const lines = errors.map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
    throw new Error(`Spicepod is not valid against spicepod.schema.json:\n${lines.join('\n')}`);
  }
}
