/** A YAML or JSON mapping: an object that is not an array (a value read from a file or a manifest). */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
