import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { parse } from 'yaml';

/** The verbatim copy of the Compose specification's schema (see schemas/README.md). */
export const COMPOSE_SCHEMA_PATH = join(__dirname, '..', '..', 'schemas', 'compose-spec.json');

let compiled: ValidateFunction | undefined;

/**
 * Draft-07, but its `$schema` (`https://json-schema.org/draft-07/schema`) is not the id of Ajv's
 * draft-07 meta-schema, so the schema itself is not validated; it uses no `format`.
 */
function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, strict: false, validateSchema: false }).compile(JSON.parse(readFileSync(COMPOSE_SCHEMA_PATH, 'utf8')));
  return compiled;
}

/** The SHA-256 of the vendored schema, as recorded in schemas/README.md. */
export function composeSchemaChecksum(): string {
  return createHash('sha256').update(readFileSync(COMPOSE_SCHEMA_PATH)).digest('hex');
}

/** Validates a Compose file (object or YAML text); returns the schema errors, empty when valid. */
export function composeSchemaErrors(compose: unknown): ErrorObject[] {
  const document = typeof compose === 'string' ? parse(compose) : compose;
  const validate = validator();
  return validate(document) ? [] : [...(validate.errors ?? [])];
}

/** Throws with readable errors unless the Compose file is valid against the Compose specification's schema. */
export function expectValidCompose(compose: unknown): void {
  const errors = composeSchemaErrors(compose);
  if (errors.length > 0) {
    const lines = errors.map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
    throw new Error(`Compose file is not valid against compose-spec.json:\n${lines.join('\n')}`);
  }
}
