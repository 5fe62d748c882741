/** Kubernetes quantity suffixes and their multipliers. */
const SUFFIX: Record<string, number> = {
  '': 1,
  'm': 1e-3,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
};

const QUANTITY = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;

/** Quantities parsed so far: a description repeats a few sizes across many datasets. Bounded, as the strings come from users. */
const PARSED = new Map<string, number | undefined>();
const PARSED_LIMIT = 1024;

/** Parses a Kubernetes quantity (`500m`, `2`, `512Mi`, `10Gi`) into a number; undefined if invalid. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  if (PARSED.has(value)) return PARSED.get(value);
  const match = QUANTITY.exec(value);
  const parsed = match ? Number(match[1]) * SUFFIX[match[2] ?? ''] : undefined;
  if (PARSED.size >= PARSED_LIMIT) PARSED.clear();
  PARSED.set(value, parsed);
  return parsed;
}

/** Renders a byte count as whole gibibytes, rounded up (`10Gi`). */
export function toGibibytes(bytes: number): string {
  return `${Math.ceil(bytes / SUFFIX.Gi)}Gi`;
}
