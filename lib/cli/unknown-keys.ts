import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { ErrorObject } from 'ajv';
import { unknownKeyFix } from '../core/description-keys';
import { ValidationProblem } from '../core/errors';


/** The description file's JSON Schema, shipped in the package beside dist/. */
export const SPLIT_FILE_SCHEMA_PATH = join(__dirname, '..', '..', 'schemas', 'split-file.schema.json');

type Schema = { readonly properties?: Record<string, { readonly const?: unknown }> };


/** `/split/datasets/0` as the library writes paths: `split.datasets[0]`. */
function dottedPath(pointer: string, key: string): string {
  const segments = [...pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')), key];
  return segments.reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');
}


type Branches = readonly Schema[];

/** A union member written as a reference (`{ $ref: '#/definitions/HelmWriterWorkloads' }`), as the definition it names. */
function resolved(root: Record<string, any>, branch: Record<string, any>): Schema {
  const ref = typeof branch?.$ref === 'string' ? /^#\/definitions\/(.+)$/.exec(branch.$ref) : null;
  return ref ? root.definitions?.[decodeURIComponent(ref[1])] ?? branch : branch;
}

/**
 * Every union (`anyOf`) of the schema by its members, references resolved. Ajv reports an error's
 * schema path from the definition a `$ref` led to, so a member is found by identity, not by path.
 */
function unionsByMember(root: Record<string, any>): Map<object, Branches> {
  const unions = new Map<object, Branches>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const anyOf = (node as { anyOf?: unknown }).anyOf;
    if (Array.isArray(anyOf)) {
      const branches = anyOf.map((branch) => resolved(root, branch));
      for (const branch of branches) unions.set(branch, branches);
    }
    Object.values(node).forEach(visit);
  };
  visit(root);
  return unions;
}

let unions: Map<object, Branches> | undefined;

/** The union (`anyOf`) an error's schema is a member of, if any. */
function unionOf(root: Record<string, any>, error: ErrorObject): Branches | undefined {
  unions ??= unionsByMember(root);
  return unions.get(error.parentSchema as object);
}

/**
 * The keys an unknown key may be compared with. In a union member (`{ type: 'aws-irsa', ... }`),
 * a complaint counts only when the value chose that member (its `type`); when it chose none (a
 * misspelt `type`), keys are compared with every member's, so `typ` still meets `type`.
 */
function allowedKeys(root: Record<string, any>, error: ErrorObject): string[] | undefined {
  const own = Object.keys((error.parentSchema as Schema).properties ?? {});
  const discriminator = (error.parentSchema as Schema | undefined)?.properties?.type?.const;
  if (discriminator === undefined) return own;
  const chosen = (error.data as { type?: unknown } | undefined)?.type;
  if (chosen === discriminator) return own;
  const union = unionOf(root, error) ?? [];
  if (union.some((branch) => branch.properties?.type?.const === chosen)) return undefined;
  const everyKey = [...new Set(union.flatMap((branch) => Object.keys(branch.properties ?? {})))];
  const key = String((error.params as { additionalProperty: string }).additionalProperty);
  return everyKey.includes(key) ? undefined : everyKey;
}

let schema: Record<string, any> | undefined;
let validator: ReturnType<Ajv['compile']> | undefined;

/**
 * Every key the description file's schema does not know, with the closest known key where one is
 * near. Values are left to the library's own checks, whose messages say what to write instead.
 */
export function unknownKeys(value: unknown): ValidationProblem[] {
  schema ??= JSON.parse(readFileSync(SPLIT_FILE_SCHEMA_PATH, 'utf8')) as Record<string, any>;
  validator ??= new Ajv({ allErrors: true, verbose: true, strict: false }).compile(schema);
  validator(value);
  const found = new Map<string, ValidationProblem>();
  for (const error of validator.errors ?? []) {
    if (error.keyword !== 'additionalProperties') continue;
    const allowed = allowedKeys(schema, error);
    if (!allowed) continue;
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const path = dottedPath(error.instancePath, key);
    found.set(path, { path, message: 'is not a key of this description', fix: unknownKeyFix(key, allowed) });
  }
  return [...found.values()];
}
