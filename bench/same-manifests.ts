import { parseAllDocuments } from 'yaml';

/** JSON with object keys sorted: two manifests are the same whatever their keys' order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
  }
  return typeof value === 'string' ? value.replace(/^# .*\n/gm, '') : value;
}

/** The documents of a multi-document YAML, canonical and sorted (comments dropped, in Spicepod strings too). */
export function manifestSet(yaml: string): string[] {
  return parseAllDocuments(yaml).map((doc) => JSON.stringify(canonical(doc.toJS()))).sort();
}

/** Throws unless two synths hold the same manifests. */
export function expectSameManifests(what: string, library: string, baseline: string): void {
  const a = manifestSet(library);
  const b = manifestSet(baseline);
  const differing = a.filter((doc, i) => doc !== b[i]);
  if (a.length !== b.length || differing.length > 0) {
    throw new Error(`${what}: the baseline does not build the same manifests (${a.length} vs ${b.length} documents; first difference:\n${differing[0]?.slice(0, 400)})`);
  }
}
