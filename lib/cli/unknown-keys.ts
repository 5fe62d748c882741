import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { ErrorObject } from 'ajv';
import { closest, distance } from 'fastest-levenshtein';
import { ValidationProblem } from '../core/errors';

/** The description file's JSON Schema, shipped in the package beside dist/. */
export const SPLIT_FILE_SCHEMA_PATH = join(__dirname, '..', '..', 'schemas', 'split-file.schema.json');

type Schema = { readonly properties?: Record<string, { readonly const?: unknown }> };

/** `/split/datasets/0` as the library writes paths: `split.datasets[0]`. */
function dottedPath(pointer: string, key: string): string {
  const segments = [...pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')), key];
  return segments.reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');
}

/** The allowed key closest to a misspelt one, when it is close enough to be what was meant. */
export function didYouMean(key: string, allowed: readonly string[]): string | undefined {
  if (allowed.length === 0) return undefined;
  const best = closest(key.toLowerCase(), allowed.map((name) => name.toLowerCase()));
  const original = allowed.find((name) => name.toLowerCase() === best)!;
  return distance(key.toLowerCase(), best) <= Math.max(2, Math.floor(key.length / 3)) ? original : undefined;
}

/**
 * An unknown key inside one member of a union (`{ type: 'aws-irsa', ... }`) counts only when the
 * value chose that member: the others' complaints are about a shape it never meant.
 */
function concernsValue(error: ErrorObject): boolean {
  const discriminator = (error.parentSchema as Schema | undefined)?.properties?.type?.const;
  return discriminator === undefined || (error.data as { type?: unknown } | undefined)?.type === discriminator;
}

let validator: ReturnType<Ajv['compile']> | undefined;

/**
 * Every key the description file's schema does not know, with the closest known key where one is
 * near. Values are left to the library's own checks, whose messages say what to write instead.
 */
export function unknownKeys(value: unknown): ValidationProblem[] {
  validator ??= new Ajv({ allErrors: true, verbose: true, strict: false }).compile(JSON.parse(readFileSync(SPLIT_FILE_SCHEMA_PATH, 'utf8')));
  validator(value);
  const found = new Map<string, ValidationProblem>();
  for (const error of validator.errors ?? []) {
    if (error.keyword !== 'additionalProperties' || !concernsValue(error)) continue;
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const allowed = Object.keys((error.parentSchema as Schema).properties ?? {});
    const near = didYouMean(key, allowed);
    const path = dottedPath(error.instancePath, key);
    found.set(path, {
      path,
      message: 'is not a key of this description',
      fix: near ? `did you mean '${near}'?` : `use one of ${allowed.map((name) => `'${name}'`).join(', ')}`,
    });
  }
  return [...found.values()];
}
