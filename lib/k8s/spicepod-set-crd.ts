import { readFileSync } from 'node:fs';
import type * as AjvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type * as Yaml from 'yaml';

/** The operator's API group, kind and version this library renders. */
export const SPICEPODSET = { group: 'spice.ai', kind: 'SpicepodSet', version: 'v2', apiVersion: 'spice.ai/v2' } as const;

/** A user-supplied CRD's `SpicepodSet` `v2` schema, compiled; or why it could not be used. */
export type SpicepodSetCrd =
  | { readonly ok: true; readonly validate: ValidateFunction }
  | { readonly ok: false; readonly message: string; readonly fix: string };

type Node = Record<string, unknown>;

const isObject = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An OpenAPI v3 structural schema (as a CRD holds it) as a JSON Schema Ajv compiles, with the API
 * server's semantics: `nullable` admits null, `x-kubernetes-int-or-string` admits both, and an object
 * with `properties` admits no other field unless `x-kubernetes-preserve-unknown-fields` says so
 * (`kubectl apply` validates fields strictly: an unknown field is an error, not a silent drop).
 */
export function structuralToJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(structuralToJsonSchema);
  if (!isObject(schema)) return schema;
  const out: Node = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, structuralToJsonSchema(sub)]));
    } else if (['items', 'additionalProperties', 'not'].includes(key) || ['allOf', 'anyOf', 'oneOf'].includes(key)) {
      out[key] = structuralToJsonSchema(value);
    } else if (key !== 'nullable' && !key.startsWith('x-kubernetes-')) {
      out[key] = value;
    }
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    if (out.anyOf === undefined) out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (schema.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  const preserves = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (isObject(out.properties) && out.additionalProperties === undefined && !preserves) out.additionalProperties = false;
  return out;
}

/** The `SpicepodSet` `v2` schema in a CRD file's documents, if it holds one. */
function spicepodSetSchema(documents: readonly unknown[]): Node | undefined {
  for (const doc of documents) {
    if (!isObject(doc) || doc.kind !== 'CustomResourceDefinition' || !isObject(doc.spec)) continue;
    const spec = doc.spec;
    if (spec.group !== SPICEPODSET.group || !isObject(spec.names) || spec.names.kind !== SPICEPODSET.kind || !Array.isArray(spec.versions)) continue;
    const version = spec.versions.find((v): v is Node => isObject(v) && v.name === SPICEPODSET.version);
    const schema = isObject(version?.schema) ? version.schema.openAPIV3Schema : undefined;
    if (isObject(schema)) return schema;
  }
  return undefined;
}

const loaded = new Map<string, SpicepodSetCrd>();

/** Reads and compiles the CRD file once per path (both writer roles and the checks share it). */
export function loadSpicepodSetCrd(file: string): SpicepodSetCrd {
  const cached = loaded.get(file);
  if (cached) return cached;
  const result = compileCrd(file);
  loaded.set(file, result);
  return result;
}

function compileCrd(file: string): SpicepodSetCrd {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, fix: "give the path of the operator's CRD file, e.g. from `kubectl get crd spicepodsets.spice.ai -o yaml`" };
  }
  // Loaded for a CRD file, not at import: the Kubernetes adapter's import stays cdk8s's (which
  // brings its own copy of yaml). Ajv loads for nothing else.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseAllDocuments } = require('yaml') as typeof Yaml;
  const parsed = parseAllDocuments(text);
  const broken = parsed.find((doc) => doc.errors.length > 0);
  if (broken) return { ok: false, message: `is not YAML: ${broken.errors[0].message.split('\n')[0]}`, fix: 'give the CRD as YAML (or JSON)' };
  const schema = spicepodSetSchema(parsed.map((doc) => doc.toJSON()));
  if (!schema) {
    return {
      ok: false,
      message: `holds no CustomResourceDefinition of ${SPICEPODSET.kind} (${SPICEPODSET.group}) with a version ${SPICEPODSET.version} schema`,
      fix: 'give the CRD of the installed operator: `kubectl get crd spicepodsets.spice.ai -o yaml` (operator versions without spice.ai/v2 are not supported)',
    };
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = (require('ajv') as typeof AjvModule).default;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    return { ok: true, validate: ajv.compile(structuralToJsonSchema(schema) as object) };
  } catch (error) {
    return { ok: false, message: `has a ${SPICEPODSET.version} schema that does not compile: ${(error as Error).message}`, fix: "give the operator's CRD file unmodified" };
  }
}

/** One line per schema error: where in the object, and what is wrong. */
export function crdErrorLines(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const where = error.instancePath || '/';
    const extra = error.keyword === 'additionalProperties' ? ` (${quoteKey((error.params as { additionalProperty: string }).additionalProperty)})`
      : error.keyword === 'enum' ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')})` : '';
    return `${where} ${error.message}${extra}`;
  });
}

function quoteKey(key: string): string {
  return JSON.stringify(key);
}
